import Agent
import ChildProcess
import Foundation
import JSONValue
import ModelClient
import Testing

/// Repositories and settings a new user really has: each either works, or ends with a message that
/// says what to do — and the user's files are never touched.
@Suite struct BadInputTests {
    /// The usual fix, for a repository prepared by `setUp` (run before the first commit).
    func runFix(files: [String: String] = [:], testCommand: String = "sh run_tests.sh",
                setUp: String? = nil, commit: Bool = true) async throws -> (FixOutcome, TempRepo) {
        var all = [
            "calc.py": "def add(a, b):\n    return a - b\n",
            "test_calc.py": "from calc import add\n\ndef test_add():\n    assert add(2, 3) == 5\n",
            "run_tests.sh": "python3 -c 'import test_calc; test_calc.test_add(); print(\"1 passed\")'\n",
        ]
        for (k, v) in files { all[k] = v }
        let repo = try await TempRepo(files: all, commit: commit, setUp: setUp)
        var request = fixRequest(repo)
        request.testCommand = testCommand
        let outcome = await Fixer.run(request, model: .embedded(), options: options(ScriptedModel(turns: theFix)))
        return (outcome, repo)
    }

    @Test func aRepositoryWithoutCommitsIsFixedFromItsFiles() async throws {
        let (outcome, repo) = try await runFix(commit: false)
        defer { repo.remove() }
        #expect(outcome.report.status == .verified, "\(outcome.report.error ?? "")")
        #expect(outcome.report.patch.contains("+    return a + b"))
        // Nothing was committed or staged in the user's repository.
        #expect(try await repo.sh("git status --porcelain | sort") == "?? calc.py\n?? run_tests.sh\n?? test_calc.py\n")
    }

    @Test func aRepositoryWithASubmoduleIsFixedAndTheSubmoduleIsCopied() async throws {
        let library = try await TempRepo(files: ["lib/helper.py": "def one():\n    return 1\n"])
        defer { library.remove() }
        let (outcome, repo) = try await runFix(
            files: ["run_tests.sh": "python3 -c 'import sys; sys.path.insert(0, \"vendor/lib\"); import helper, test_calc; test_calc.test_add(); print(\"1 passed\")'\n"],
            setUp: "git -c protocol.file.allow=always submodule add -q \(library.path) vendor 2>&1")
        defer { repo.remove() }
        #expect(outcome.report.status == .verified, "\(outcome.report.error ?? "") \(outcome.report.tests)")
        #expect(!outcome.report.patch.contains("vendor"))
    }

    @Test func lfsPointerFilesAreKeptAsTheyAre() async throws {
        let pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n"
        let (outcome, repo) = try await runFix(
            files: [".gitattributes": "*.bin filter=lfs diff=lfs merge=lfs -text\n", "data/model.bin": pointer])
        defer { repo.remove() }
        #expect(outcome.report.status == .verified, "\(outcome.report.error ?? "")")
        #expect(!outcome.report.patch.contains("model.bin"))
        #expect(try repo.read("data/model.bin") == pointer)
    }

    @Test func aFileNamedWithANewlineDoesNotBreakTheRun() async throws {
        let (outcome, repo) = try await runFix(files: ["odd\nname.txt": "hello\n"])
        defer { repo.remove() }
        #expect(outcome.report.status == .verified, "\(outcome.report.error ?? "")")
        // The patch still applies with git.
        let patch = repo.path + ".patch"
        defer { try? FileManager.default.removeItem(atPath: patch) }
        try outcome.report.patch.write(toFile: patch, atomically: true, encoding: .utf8)
        try await repo.sh("git apply --check \(patch)")
    }

    @Test func aTestCommandThatDoesNotExistEndsBeforeTheModelIsAsked() async throws {
        let model = ScriptedModel(turns: theFix)
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        var request = fixRequest(repo)
        request.testCommand = "pytset -q"
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model))
        #expect(outcome.report.status == .error)
        #expect(outcome.failure == .configuration)
        let message = try #require(outcome.report.error)
        #expect(message.contains("pytset"), "\(message)")
        #expect(message.contains("not found"), "\(message)")
        #expect(message.contains("--test-cmd"), "\(message)")
        #expect(model.requests.isEmpty)
    }

    @Test func aModelThatAnswersNothingEndsWithAnExplanation() async throws {
        let model = ScriptedModel { _, _ in ScriptedModel.text("") }
        let repo = try await TempRepo.pythonBug()
        defer { repo.remove() }
        var request = fixRequest(repo)
        request.maxSteps = 40
        let outcome = await Fixer.run(request, model: .embedded(), options: options(model))
        #expect(outcome.report.endReason == .formatErrors)
        #expect(model.requests.count < 20)
        let message = try #require(outcome.report.error, "\(outcome.report)")
        #expect(message.contains("empty"), "\(message)")
        #expect(message.contains("--model") || message.contains("--action-mode"), "\(message)")
    }
}
