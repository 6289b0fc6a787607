/// Environment variable names that hold secrets: any name containing KEY, TOKEN, SECRET, PASSWORD or
/// CREDENTIAL (in any case). Their values never reach a sandboxed command, and are redacted from
/// everything Fixpoint writes or sends.
public enum SecretNames {
    static let markers = ["KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL"]

    public static func isSecret(_ name: String) -> Bool {
        let upper = name.uppercased()
        return markers.contains { upper.contains($0) }
    }
}
