#ifndef CFUZZ_H
#define CFUZZ_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, LLVM 11+): runs the fuzzing loop with the given callback. The
/// fuzz targets call it from their own entry point, because SwiftPM links executables with `main`
/// renamed to `<Target>_main`, which hides libFuzzer's own `main`.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
