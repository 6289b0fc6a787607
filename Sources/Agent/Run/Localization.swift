import Foundation
import Git

/// Where the bug probably is, ranked before the first step (as Agentless does): the code frames of
/// the failing tests' tracebacks, then the definitions of the functions the issue and the failing
/// tests call. A small model spends most of its steps finding the code; on CPU every file it reads
/// to look costs a minute of prompt processing. Shown in the orientation as `path:line  def name`.
enum Localization {
    struct Candidate: Equatable {
        /// The definition's file and first line (1-based).
        var path: String
        var line: Int
        /// The definition's line, as shown in the list.
        var text: String
        var score: Int
        /// The line its snippet is centred on when the definition is long: a traceback frame, if any.
        var anchor: Int
    }

    /// Source files looked at, and bytes read of each: the orientation must stay cheap.
    static let maxFiles = 400
    static let maxFileBytes = 400_000
    static let sourceExtensions: Set<String> = ["py", "js", "mjs", "cjs", "ts", "go", "rs", "swift", "rb", "java", "kt", "c", "h", "cc", "cpp"]
    /// Failing tests whose bodies are read for the names they call.
    static let maxTestBodies = 20

    /// Candidates are definitions (functions, classes), scored by what points at them: a frame of a
    /// failing test's traceback inside them (3 each), their name called in the issue or named by a
    /// failing test's id (2), their name called in the failing tests' bodies (1 per test, at most 3;
    /// names defined in more than 3 places tell little and are skipped).
    static func rank(root: String, issue: String, testOutput: String, failingTests: [String], limit: Int = 5) -> [Candidate] {
        let files = sourceFiles(root)
        var cache: [String: [Substring]] = [:]
        func lines(_ path: String) -> [Substring]? {
            if let cached = cache[path] { return cached }
            guard let text = read(root + "/" + path) else { return nil }
            let split = TextFile.lines(text)
            cache[path] = split
            return split
        }
        var byDefinition: [String: Candidate] = [:]
        func add(path: String, line: Int, score: Int, isFrame: Bool) {
            guard let lines = lines(path), line >= 1, line <= lines.count else { return }
            let start = FocusSnippet.definitionStart(of: line - 1, in: lines)
            let key = "\(path):\(start)"
            var candidate = byDefinition[key]
                ?? Candidate(path: path, line: start + 1, text: lines[start].trimmingCharacters(in: .whitespaces), score: 0, anchor: line)
            candidate.score += score
            if isFrame { candidate.anchor = line }
            byDefinition[key] = candidate
        }
        // Frames in code (not tests) named by the failing tests' tracebacks: `pkg/mod.py:123: in name`,
        // `File "pkg/mod.py", line 123, in name`.
        for frame in frames(in: testOutput) {
            guard let path = files.first(where: { frame.path == $0 || frame.path.hasSuffix("/" + $0) }),
                  !TestPaths.isTest(path) else { continue }
            add(path: path, line: frame.line, score: 3, isFrame: true)
        }
        // Definitions of the names the issue, the failing tests' ids and their bodies call.
        var weights: [String: Int] = [:]
        for (name, tests) in testBodyNames(root: root, failingTests: failingTests) { weights[name] = min(3, tests) }
        for name in calledNames(issue).union(testNames(failingTests)) { weights[name, default: 0] += 2 }
        if !weights.isEmpty {
            var definitions: [String: [(path: String, line: Int)]] = [:]
            for path in files where !TestPaths.isTest(path) {
                guard let text = lines(path) else { continue }
                for (index, lineText) in text.enumerated() {
                    guard let name = definedName(lineText), weights[name] != nil else { continue }
                    definitions[name, default: []].append((path, index + 1))
                }
            }
            for (name, places) in definitions where places.count <= 3 || weights[name, default: 0] >= 2 {
                for place in places { add(path: place.path, line: place.line, score: weights[name] ?? 0, isFrame: false) }
            }
        }
        return byDefinition.values.sorted { a, b in
            a.score != b.score ? a.score > b.score : (a.path, a.line) < (b.path, b.line)
        }.prefix(limit).map { $0 }
    }

    /// The names called in the bodies of the failing tests (`tests/test_x.py::TestC::test_y[p]`), with
    /// how many of those tests call each. Names the test file defines itself, test names and
    /// assertions are left out.
    static func testBodyNames(root: String, failingTests: [String]) -> [String: Int] {
        var counts: [String: Int] = [:]
        var files: [String: [Substring]] = [:]
        for id in failingTests.prefix(maxTestBodies) {
            guard let place = pytestLocation(of: id) else { continue }
            if files[place.file] == nil, let text = read(root + "/" + place.file) { files[place.file] = TextFile.lines(text) }
            guard let lines = files[place.file], let body = FocusSnippet.body(ofDefinitionNamed: place.test, in: lines) else { continue }
            let ownNames = Set(lines.compactMap { definedName($0) })
            for called in calledNames(body) where !ownNames.contains(called) && !called.hasPrefix("assert") && !called.hasPrefix("test") {
                counts[called, default: 0] += 1
            }
        }
        return counts
    }

    /// The test file and function of a pytest id: `tests/test_x.py::TestC::test_y[p]` → (tests/test_x.py, test_y).
    static func pytestLocation(of id: String) -> (file: String, test: String)? {
        let parts = id.split(separator: "::").map(String.init)
        guard parts.count >= 2, var name = parts.last else { return nil }
        if let bracket = name.firstIndex(of: "[") { name = String(name[..<bracket]) }
        return (parts[0], name)
    }

    /// The orientation's paragraph, or nil when nothing was found.
    static func render(_ candidates: [Candidate]) -> String? {
        guard !candidates.isEmpty else { return nil }
        var lines = ["Likely places to look (from the issue and the failing tests; read around these lines with read_file start_line/end_line):"]
        for c in candidates {
            lines.append("- \(c.path):\(c.line)  \(c.text.prefix(100))")
        }
        return lines.joined(separator: "\n")
    }

    /// What localization found for a run: the orientation's paragraph (nil when nothing was
    /// found) and the definitions it shows, which the focused repair works on.
    struct Found: Sendable {
        var orientation: String?
        var shown: [FocusSnippet.Shown]
    }

    /// Ranks and reads off the cooperative pool (it reads files); nothing when the tests pass.
    static func find(root: String, issue: String, tests: TestRunner.Result) async -> Found {
        guard !tests.passed else { return Found(orientation: nil, shown: []) }
        let (output, failing) = (tests.output, tests.failingTests)
        return await runBlocking {
            let ranked = rank(root: root, issue: issue, testOutput: output, failingTests: failing)
            guard let list = render(ranked) else { return Found(orientation: nil, shown: []) }
            let shown = focusDefinitions(ranked, root: root)
            return Found(orientation: [list, focus(shown)].compactMap { $0 }.joined(separator: "\n\n"), shown: shown)
        }
    }

    /// The orientation's paragraph for a run (see `find`).
    static func orientation(root: String, issue: String, tests: TestRunner.Result) async -> String? {
        await find(root: root, issue: issue, tests: tests).orientation
    }

    /// Snippets shown in all, in lines: the top candidates' definitions while they fit.
    static let focusLineBudget = 70

    /// The code of the top candidates' definitions (distinct ones, within `focusLineBudget` lines).
    static func focus(_ candidates: [Candidate], root: String) -> String? {
        focus(focusDefinitions(candidates, root: root))
    }

    static func focus(_ shown: [FocusSnippet.Shown]) -> String? {
        guard !shown.isEmpty else { return nil }
        return "The code there (numbered as read_file shows it; edit it with edit_file):\n" + shown.map(\.rendered).joined(separator: "\n\n")
    }

    /// The top candidates' definitions, each read once, distinct, within `focusLineBudget` lines.
    static func focusDefinitions(_ candidates: [Candidate], root: String) -> [FocusSnippet.Shown] {
        var shown: [FocusSnippet.Shown] = []
        var budget = focusLineBudget
        var texts: [String: String] = [:]
        for candidate in candidates.prefix(3) {
            if texts[candidate.path] == nil { texts[candidate.path] = read(root + "/" + candidate.path) }
            guard let text = texts[candidate.path],
                  let definition = FocusSnippet.definition(around: candidate.anchor, of: text, path: candidate.path) else { continue }
            let lines = definition.rows.count
            guard !shown.contains(where: { $0.path == definition.path && $0.rows.first == definition.rows.first }), lines <= budget else { continue }
            shown.append(definition)
            budget -= lines
        }
        return shown
    }

    // MARK: - Pieces

    static func sourceFiles(_ root: String) -> [String] {
        var out: [String] = []
        _ = WorkspaceWalker.walk(root, relative: "", maxDepth: 8) { entry in
            guard entry.kind == .file else { return true }
            let ext = (entry.path as NSString).pathExtension.lowercased()
            if sourceExtensions.contains(ext), !entry.path.split(separator: "/").contains(where: { FileTree.hidden.contains(String($0)) }) {
                out.append(entry.path)
            }
            return out.count < maxFiles
        }
        return out
    }

    struct Frame: Equatable { var path: String; var line: Int }

    static func frames(in output: String) -> [Frame] {
        var out: [Frame] = []
        for raw in output.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            // pytest --tb=short/long: `pkg/mod.py:123: in name` or `pkg/mod.py:123: Error`
            if let m = line.firstMatch(of: /^([\w.\/-]+\.\w+):(\d+):/), let n = Int(m.2) {
                out.append(Frame(path: String(m.1), line: n))
            } else if let m = line.firstMatch(of: /^File "([^"]+)", line (\d+)/), let n = Int(m.2) {
                out.append(Frame(path: String(m.1), line: n))   // Python's own traceback
            } else if let m = line.firstMatch(of: /\(?([\w.\/-]+\.(?:js|mjs|ts)):(\d+):\d+\)?$/), let n = Int(m.2) {
                out.append(Frame(path: String(m.1), line: n))   // node stack frames
            }
        }
        return out
    }

    /// `camelize('x')`, `inflection.camelize(`, `obj.method(`: the names called in the issue text.
    static func calledNames(_ text: String) -> Set<String> {
        var names = Set<String>()
        for m in text.matches(of: /([A-Za-z_][A-Za-z0-9_]*)\s*\(/) {
            let name = String(m.1)
            if name.count > 2, !commonWords.contains(name.lowercased()) { names.insert(name) }
        }
        return names
    }

    /// `tests/test_x.py::test_camelize_with_digits[a-b]` → camelize, camelize_with_digits.
    static func testNames(_ ids: [String]) -> Set<String> {
        var names = Set<String>()
        for id in ids {
            guard var name = id.split(separator: "::").last.map(String.init) else { continue }
            if let bracket = name.firstIndex(of: "[") { name = String(name[..<bracket]) }
            guard name.lowercased().hasPrefix("test") else { continue }
            let stem = name.dropFirst(4).drop { $0 == "_" }
            guard !stem.isEmpty else { continue }
            names.insert(String(stem))
            if let first = stem.split(separator: "_").first, first.count > 2 { names.insert(String(first)) }
        }
        return names
    }

    /// The name a line defines: `def f(`, `class C`, `function f(`, `func f(`, `fn f(`, `const f = (`.
    /// Read token by token rather than with a Regex: it runs on every line of every source file
    /// (measured: 12 s of orientation on boltons' 30 files with a Regex per line, 0.1 s without).
    static func definedName(_ line: Substring) -> String? {
        var words = line.split(maxSplits: 4, omittingEmptySubsequences: true, whereSeparator: { $0 == " " || $0 == "\t" })[...]
        if words.first == "async" || words.first == "export" || words.first == "static" || words.first == "public" { words = words.dropFirst() }
        guard let keyword = words.first, words.count >= 2 else { return nil }
        let name = identifierPrefix(words[words.startIndex + 1])
        guard !name.isEmpty else { return nil }
        switch keyword {
        case "def", "class", "function", "func", "fn":
            return name
        case "const", "let", "var":
            // `const f = (`, `let f = function`, `var f = async`: only functions count.
            let named = words[words.startIndex + 1]
            let rest = ([named.dropFirst(name.count)] + words.dropFirst(2)).joined(separator: " ").drop { $0 == " " }
            guard rest.hasPrefix("=") else { return nil }
            let value = rest.dropFirst().drop { $0 == " " }
            return value.hasPrefix("function") || value.hasPrefix("(") || value.hasPrefix("async") ? name : nil
        default:
            return nil
        }
    }

    /// The leading identifier of `word` (`f(x):` → `f`), empty when it does not start with one.
    static func identifierPrefix(_ word: Substring) -> String {
        guard let first = word.first, first == "_" || (first.isASCII && first.isLetter) else { return "" }
        return String(word.prefix { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
    }

    static let commonWords: Set<String> = ["assert", "print", "len", "str", "int", "list", "dict", "set", "tuple", "isinstance",
                                           "range", "type", "repr", "sorted", "the", "and", "not", "for", "with", "this", "see",
                                           "require", "expect", "equal", "strictequal", "deepequal", "log"]

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.count <= maxFileBytes else { return nil }
        return String(data: data, encoding: .utf8)
    }

}
