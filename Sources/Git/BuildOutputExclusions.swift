/// Caches and build outputs that running tests or commands leave behind. They never belong in a
/// result patch, even when the project has no `.gitignore` for them, so every snapshot repository
/// lists them in its own `.git/info/exclude`. Exclusion only affects files that are NEW in a run:
/// files present in the base stay visible whatever their name.
enum BuildOutputExclusions {
    /// Directory names (any depth) that hold only generated files.
    static let directories = [
        ".pytest_cache", "__pycache__", "node_modules", ".build", "target", ".mypy_cache", ".ruff_cache",
        ".tox", ".nox", ".gradle", ".eggs", ".cache", ".hypothesis", ".next", ".parcel-cache", ".swiftpm",
        "DerivedData", ".venv", "venv", ".coverage_html", "htmlcov", "zig-cache", "zig-out", ".zig-cache",
        "CMakeFiles", "_build", ".dart_tool", "__snapshots_tmp__",
    ]

    /// File patterns (any depth).
    static let filePatterns = [
        "*.pyc", "*.pyo", "*.pyd", "*.o", "*.obj", "*.so", "*.so.*", "*.dylib", "*.dll", "*.exe", "*.a",
        "*.lib", "*.class", "*.jar", "*.egg-info", ".coverage", ".coverage.*", "*.gcda", "*.gcno",
        "*.tsbuildinfo", "*.log", "CMakeCache.txt", ".DS_Store", "*.swp", "*~",
    ]

    /// The `info/exclude` text for a snapshot whose base holds `baseDirectoryNames` (every directory
    /// name that appears in a base path). A listed directory that the project itself tracks is kept
    /// out of the list, so that a project with a real `target/` or `.cache/` source folder still sees
    /// its new files there.
    static func excludeFile(baseDirectoryNames: Set<String>) -> String {
        var lines = ["# Written by Fixpoint: caches and build outputs that never belong in a patch."]
        lines += directories.filter { !baseDirectoryNames.contains($0) }.map { "\($0)/" }
        lines += filePatterns
        return lines.joined(separator: "\n") + "\n"
    }

    /// True when `header` (a file's first bytes) marks a compiled binary: ELF, Mach-O, PE or a
    /// static archive. Such new files (e.g. `gcc main.c -o main`) are build outputs whatever their name.
    static func isCompiledBinary(header: [UInt8]) -> Bool {
        let magics: [[UInt8]] = [
            [0x7F, 0x45, 0x4C, 0x46],  // ELF
            [0xCF, 0xFA, 0xED, 0xFE], [0xCE, 0xFA, 0xED, 0xFE],  // Mach-O 64/32, little endian
            [0xFE, 0xED, 0xFA, 0xCF], [0xFE, 0xED, 0xFA, 0xCE],  // Mach-O, big endian
            [0xCA, 0xFE, 0xBA, 0xBE],  // Mach-O universal / Java class
            Array("!<arch>\n".utf8),  // ar archive
        ]
        if magics.contains(where: { header.starts(with: $0) }) { return true }
        return header.starts(with: [0x4D, 0x5A]) && header.count >= 64  // "MZ": DOS/PE executable
    }
}
