print("fixpoint")
