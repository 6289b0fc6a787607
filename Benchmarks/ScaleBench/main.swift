// Benchmark: snapshot create, fork and verification copy at repository scale, against
// `cp -r`, `git worktree add` and `git clone --shared` on the same repository; disk used by a base
// with 1 and with 8 forks. Run through scripts/bench-scale.sh; results go in docs/performance.md.
// Not a test.
import Foundation
import Git
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var repo = ""
    var runs = 5
    var forks = 8
    var label = ""
    var scratch = NSTemporaryDirectory()
    /// Time one operation alone (for a profiler): create, fork or verify.
    var only: String?

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        while let flag = rest.popFirst() {
            switch flag {
            case "--repo": repo = rest.popFirst() ?? ""
            case "--runs": runs = Int(rest.popFirst() ?? "") ?? runs
            case "--forks": forks = Int(rest.popFirst() ?? "") ?? forks
            case "--label": label = rest.popFirst() ?? ""
            case "--scratch": scratch = rest.popFirst() ?? scratch
            case "--only": only = rest.popFirst()
            default: usage()
            }
        }
        if repo.isEmpty { usage() }
    }

    func usage() -> Never {
        FileHandle.standardError.write(Data("usage: ScaleBench --repo PATH [--runs N] [--forks N] [--label TEXT] [--scratch DIR] [--only create|fork|verify]\n".utf8))
        exit(2)
    }
}

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// CPU seconds (user + system) of this process and of its finished children: on a shared machine
/// they drift far less than wall time, which waits for everyone else's disk and CPU.
func cpu() -> Double {
    var total = 0.0
    for who in [RUSAGE_SELF.rawValue, RUSAGE_CHILDREN.rawValue] {
        var usage = rusage()
        getrusage(who, &usage)
        total += Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
    return total
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

/// Runs `script` with /bin/sh in `directory` and returns its standard output; exits on failure.
@discardableResult
func shell(_ script: String, in directory: String) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("scalebench-\(getpid())-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: output) }
    process.standardOutput = try? FileHandle(forWritingTo: output)
    do { try process.run() } catch { fatalError("cannot run sh: \(error)") }
    process.waitUntilExit()
    if process.terminationStatus != 0 { fatalError("failed (\(process.terminationStatus)): \(script)") }
    return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
}

/// Kilobytes under `paths`, hard links counted once (one `du` over all of them).
func diskKB(_ paths: [String]) -> Int {
    let quoted = paths.map { "'\($0)'" }.joined(separator: " ")
    let total = shell("du -skc \(quoted) | tail -1", in: "/")
    return Int(total.split(separator: "\t").first ?? "") ?? 0
}

/// Kilobytes in use on the file system holding `path` (statvfs). Unlike `du`, it sees blocks that
/// reflinked files share; exact only where nothing else writes to that file system meanwhile.
func fileSystemUsedKB(_ path: String) -> Int {
    var info = statvfs()
    guard statvfs(path, &info) == 0 else { return 0 }
    return Int((info.f_blocks - info.f_bfree) * UInt(info.f_frsize) / 1024)
}

func ms(_ seconds: Double) -> String { String(format: "%.0f ms", seconds * 1000) }

struct Series {
    var name: String
    var times: [Double] = []
    var cpuTimes: [Double] = []
    var cpuMedianS: Double { median(cpuTimes) }
    var medianS: Double { median(times) }
    /// (max - min) / median, as a percentage: how much the runs spread on a shared machine.
    var spread: String {
        guard let lo = times.min(), let hi = times.max(), medianS > 0 else { return "-" }
        return String(format: "±%.0f%%", (hi - lo) / medianS * 50)
    }
}

let options = Options(CommandLine.arguments)
let source = options.repo
let scratch = options.scratch + "/fixpoint-scalebench-\(getpid())"
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: scratch) }
let snapshotRoot = scratch + "/snapshots"
let fileCount = (try Repository.discover(from: source).filePaths().count)

if let only = options.only {
    var start = now()
    let base = try Snapshot.create(from: source, root: snapshotRoot)
    if only == "create" { print("create: \(ms(now() - start))") }
    for _ in 0..<options.runs where only != "create" {
        start = now()
        let copy = try base.fork()
        if only == "verify" { _ = try copy.apply(patch: "diff --git a/.fixpoint-bench b/.fixpoint-bench\nnew file mode 100644\n--- /dev/null\n+++ b/.fixpoint-bench\n@@ -0,0 +1 @@\n+bench\n") }
        print("\(only): \(ms(now() - start)) \(copy.copyCounts)")
        copy.remove()
    }
    base.remove()
    exit(0)
}

// A small change for the verification copy: the agent's patch touches a handful of files.
let probe = try Snapshot.create(from: source, root: snapshotRoot)
let edited = try Repository.discover(from: source).filePaths().filter { !$0.hasPrefix(".") }.prefix(5)
for path in edited {
    let full = probe.directory + "/" + path
    if let handle = FileHandle(forUpdatingAtPath: full) { handle.seekToEndOfFile(); handle.write(Data("\n# agent change\n".utf8)); handle.closeFile() }
}
let patch = try probe.diff()
probe.remove()

var create = Series(name: "snapshot create"), cpr = Series(name: "cp -r (whole checkout)")
var fork = Series(name: "fork"), worktree = Series(name: "git worktree add"), shared = Series(name: "git clone --shared")
var verify = Series(name: "verification copy (fork + apply)")
var forkDisk: (one: Int, eight: Int, base: Int) = (0, 0, 0)
var used: (before: Int, base: Int, one: Int, eight: Int) = (0, 0, 0, 0)

for run in 0..<options.runs {
    sync()
    if run == 0 { used.before = fileSystemUsedKB(options.scratch) }
    var start = now()
    var startCPU = cpu()
    let base = try Snapshot.create(from: source, root: snapshotRoot)
    create.times.append(now() - start)
    create.cpuTimes.append(cpu() - startCPU)

    start = now()

    startCPU = cpu()
    shell("cp -r '\(source)' '\(scratch)/cp\(run)'", in: scratch)
    cpr.times.append(now() - start)
    cpr.cpuTimes.append(cpu() - startCPU)
    shell("rm -rf '\(scratch)/cp\(run)'", in: scratch)

    start = now()

    startCPU = cpu()
    let copy = try base.fork()
    fork.times.append(now() - start)
    fork.cpuTimes.append(cpu() - startCPU)
    copy.remove()

    start = now()

    startCPU = cpu()
    shell("git worktree add -q --detach '\(scratch)/wt\(run)'", in: source)
    worktree.times.append(now() - start)
    worktree.cpuTimes.append(cpu() - startCPU)
    shell("git worktree remove --force '\(scratch)/wt\(run)' && git worktree prune", in: source)

    start = now()

    startCPU = cpu()
    shell("git clone -q --shared '\(source)' '\(scratch)/clone\(run)'", in: scratch)
    shared.times.append(now() - start)
    shared.cpuTimes.append(cpu() - startCPU)
    shell("rm -rf '\(scratch)/clone\(run)'", in: scratch)

    start = now()

    startCPU = cpu()
    let clean = try base.fork()
    _ = try clean.apply(patch: patch)
    verify.times.append(now() - start)
    verify.cpuTimes.append(cpu() - startCPU)
    clean.remove()

    if run == 0 {
        // The whole snapshot folder: the base, its object store and the forks.
        forkDisk.base = diskKB([snapshotRoot])
        sync(); used.base = fileSystemUsedKB(options.scratch)
        let one = try base.fork()
        forkDisk.one = diskKB([snapshotRoot])
        sync(); used.one = fileSystemUsedKB(options.scratch)
        var forks = [one]
        for _ in 1..<options.forks { forks.append(try base.fork()) }
        forkDisk.eight = diskKB([snapshotRoot])
        sync(); used.eight = fileSystemUsedKB(options.scratch)
        forks.forEach { $0.remove() }
    }
    base.remove()
}

let title = options.label.isEmpty ? source : options.label
print("### \(title): \(fileCount) files, \(options.runs) runs (median, spread ± half the range)")
print("")
print("| operation | wall median | spread | CPU median | baseline | wall median (spread) | CPU median | ratio wall | ratio CPU |")
print("|---|---:|---:|---:|---|---:|---:|---:|---:|")
func row(_ ours: Series, _ theirs: Series) {
    print("| \(ours.name) | \(ms(ours.medianS)) | \(ours.spread) | \(ms(ours.cpuMedianS)) | \(theirs.name) | \(ms(theirs.medianS)) (\(theirs.spread)) | "
          + "\(ms(theirs.cpuMedianS)) | \(String(format: "%.2f", ours.medianS / theirs.medianS)) | \(String(format: "%.2f", ours.cpuMedianS / theirs.cpuMedianS)) |")
}
row(create, cpr)
row(fork, worktree)
row(fork, shared)
row(verify, worktree)
print("")
let mb = { (kb: Int) in String(format: "%.1f MB", Double(kb) / 1024) }
print("disk: base \(mb(forkDisk.base)); base + 1 fork \(mb(forkDisk.one)); base + \(options.forks) forks \(mb(forkDisk.eight)); "
      + "\(options.forks) forks ÷ 1 fork = \(String(format: "%.2f", Double(forkDisk.eight) / Double(max(forkDisk.one, 1)))), "
      + "base + \(options.forks) forks ÷ base = \(String(format: "%.2f", Double(forkDisk.eight) / Double(max(forkDisk.base, 1))))")
let base = used.base - used.before, one = used.one - used.before, eight = used.eight - used.before
print("file system blocks used (statvfs; counts shared blocks once, exact only if nothing else writes there): base \(mb(base)); "
      + "base + 1 fork \(mb(one)); base + \(options.forks) forks \(mb(eight)); base + \(options.forks) forks ÷ base = "
      + "\(String(format: "%.2f", Double(eight) / Double(max(base, 1))))")
