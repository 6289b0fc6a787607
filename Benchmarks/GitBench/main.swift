// Benchmark: the Git layer (libgit2) against the git CLI doing the same work.
// Run through scripts/bench-git.sh; results go in docs/performance.md. Not a test.
import Foundation
import Git
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var files = 3000
    var runs = 7
    var repo: String?

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            switch flag {
            case "--files": files = Int(rest.popFirst() ?? "") ?? files
            case "--runs": runs = Int(rest.popFirst() ?? "") ?? runs
            case "--repo": repo = rest.popFirst()
            default:
                FileHandle.standardError.write(Data("usage: GitBench [--files N] [--runs R] [--repo PATH]\n".utf8))
                exit(2)
            }
        }
    }
}

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Runs `script` with /bin/sh in `directory`; output to /dev/null; exits the benchmark on failure.
func shell(_ script: String, in directory: String) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ["/bin/sh", "-c", "cd \"$0\" && " + script, directory]
    var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { cArgv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, "/bin/sh", &actions, nil, &cArgv, environ) == 0 else { fatalError("cannot spawn sh") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if status != 0 { fatalError("failed (\(status)): \(script)") }
}

func write(_ text: String, to path: String) {
    try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
}

/// A repository of `count` text files (~40 lines each) in nested folders, committed, plus some
/// uncommitted edits and untracked files, as a user's checkout mid-work would have.
func generateRepository(at path: String, count: Int) {
    for index in 0..<count {
        let file = "\(path)/pkg\(index % 30)/sub\(index % 7)/module\(index).py"
        write((0..<40).map { "def function_\(index)_\($0)(x):\n    return x + \($0)\n" }.joined(), to: file)
    }
    shell("git init -q -b main && git add -A && git -c user.name=b -c user.email=b@b commit -qm base", in: path)
    for index in 0..<10 { write("# uncommitted edit \(index)\n", to: "\(path)/pkg\(index)/sub\(index % 7)/module\(index).py") }
    for index in 0..<5 { write("untracked \(index)\n", to: "\(path)/notes/untracked\(index).txt") }
}

/// The agent's edits: change 20 files' middle lines and add 5 new files.
func agentEdits(in directory: String, files: [String]) {
    for path in files.prefix(20) {
        let full = directory + "/" + path
        guard var text = try? String(contentsOfFile: full, encoding: .utf8) else { continue }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.insert("# agent change", at: lines.count / 2)
        text = lines.joined(separator: "\n")
        write(text, to: full)
    }
    for index in 0..<5 { write("new file \(index)\n", to: "\(directory)/agent/new\(index).py") }
}

func textFiles(in repo: Repository) -> [String] {
    ((try? repo.filePaths()) ?? []).filter { $0.hasSuffix(".py") || $0.hasSuffix(".swift") || $0.hasSuffix(".md") || $0.hasSuffix(".txt") }
}

let options = Options(CommandLine.arguments)
let scratch = NSTemporaryDirectory() + "fixpoint-bench-\(getpid())"
try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }
let snapshotRoot = scratch + "/snapshots"
let source: String
if let repo = options.repo {
    source = repo
} else {
    source = scratch + "/user"
    generateRepository(at: source, count: options.files)
}
let user = try Repository.discover(from: source)
let editable = textFiles(in: user)
let fileCount = (try? user.filePaths().count) ?? 0

var results: [(String, [Double], [Double])] = []
@MainActor func measure(_ name: String, ours: () throws -> Double, cli: () -> Double) rethrows {
    var oursTimes: [Double] = [], cliTimes: [Double] = []
    for _ in 0..<options.runs {
        oursTimes.append(try ours())
        cliTimes.append(cli())
    }
    results.append((name, oursTimes, cliTimes))
}

// The CLI's way to make the same isolated copy: copy tracked + untracked-not-ignored files, then
// commit them in a fresh repository.
let cliSnapshotScript = """
    mkdir -p "$DEST" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -P -t "$DEST" 2>/dev/null; \
    cd "$DEST" && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm base
    """
var counter = 0
@MainActor func cliSnapshot() -> String {
    counter += 1
    let destination = "\(scratch)/cli\(counter)"
    shell("DEST='\(destination)'; " + cliSnapshotScript, in: source)
    return destination
}

try measure("snapshot (create)", ours: {
    let start = now()
    let snapshot = try Snapshot.create(from: source, root: snapshotRoot)
    let elapsed = now() - start
    snapshot.remove()
    return elapsed
}, cli: {
    let start = now()
    let destination = cliSnapshot()
    let elapsed = now() - start
    try? FileManager.default.removeItem(atPath: destination)
    return elapsed
})

let snapshot = try Snapshot.create(from: source, root: snapshotRoot)
agentEdits(in: snapshot.directory, files: editable)
let cliCopy = cliSnapshot()
agentEdits(in: cliCopy, files: editable)
let patch = try snapshot.diff()

try measure("diff (20 edited + 5 new files)", ours: {
    let start = now()
    _ = try snapshot.diff()
    return now() - start
}, cli: {
    let start = now()
    shell("git add -N . && git diff --binary HEAD", in: cliCopy)
    return now() - start
})

try measure("fork (copy of the base)", ours: {
    let start = now()
    let fork = try snapshot.fork()
    let elapsed = now() - start
    fork.remove()
    return elapsed
}, cli: {
    let destination = "\(scratch)/clone"
    let start = now()
    shell("git clone -q --local '\(cliCopy)' '\(destination)'", in: scratch)
    let elapsed = now() - start
    try? FileManager.default.removeItem(atPath: destination)
    return elapsed
})

let patchFile = scratch + "/change.patch"
write(patch, to: patchFile)
try measure("apply (that diff)", ours: {
    let fork = try snapshot.fork()
    defer { fork.remove() }
    let start = now()
    _ = try fork.apply(patch: patch)
    return now() - start
}, cli: {
    let fork = try! snapshot.fork()
    defer { fork.remove() }
    let start = now()
    shell("git apply '\(patchFile)'", in: fork.directory)
    return now() - start
})
snapshot.remove()

print("repository: \(options.repo ?? "generated") (\(fileCount) tracked files), \(options.runs) runs, medians")
print("| operation | Fixpoint (libgit2) | git CLI | ratio (Fixpoint / CLI) |")
print("|---|---:|---:|---:|")
for (name, ours, cli) in results {
    let a = median(ours) * 1000, b = median(cli) * 1000
    print("| \(name) | \(String(format: "%.1f", a)) ms | \(String(format: "%.1f", b)) ms | \(String(format: "%.2f", a / b)) |")
}
