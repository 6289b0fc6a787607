import Foundation

/// What a recognised test runner's output says, reduced to what the model needs to act:
/// which tests failed and why, the runner's own summary line, and errors not tied to one test
/// (compile errors, crashes).
public struct TestDigest: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        public var name: String
        /// The failure's message lines (assertion, location), already cut to a few lines.
        public var message: [String]
        public init(name: String, message: [String] = []) { self.name = name; self.message = message }
    }

    /// "pytest", "node --test", "swift test", "cargo test", "go test", "ctest", "make".
    public var runner: String
    public var failures: [Failure]
    public var summary: [String]
    public var errors: [String]
    /// The tests the output names as passed, in the runner's own ids (the same ids `failures` uses).
    public var passed: [String] = []
    /// Whether this output names passing tests at all: cargo, node, swift and ctest always do; pytest
    /// with `-rp`/`-v`, unittest with `-v` and go with `-v` do. Where not, a test that is not reported
    /// failing in a completed run is taken to have passed (see `TestOutcomes`).
    public var listsPassing = false
    private var passedSet: Set<String> = []

    public init(runner: String, failures: [Failure] = [], summary: [String] = [], errors: [String] = []) {
        self.runner = runner; self.failures = failures; self.summary = summary; self.errors = errors
    }

    /// Records a passing test once (runners may print a name twice: live line and recap).
    mutating func addPassed(_ name: String) {
        guard !name.isEmpty, passedSet.insert(name).inserted else { return }
        passed.append(name)
    }

    /// Adds a failure, merging messages when the same test is reported twice (e.g. XCTest's
    /// error line and its "failed" line).
    mutating func addFailure(_ name: String, message: [String] = []) {
        if let index = failures.firstIndex(where: { $0.name == name }) {
            for line in message where !failures[index].message.contains(line) { failures[index].message.append(line) }
        } else {
            failures.append(Failure(name: name, message: message))
        }
    }
}

/// One runner's recogniser: nil when the output is not that runner's.
protocol TestOutputParser {
    static func parse(_ lines: [Substring]) -> TestDigest?
}

/// Small text helpers shared by the parsers.
enum TriageText {
    /// Lines without terminators, with ANSI colour codes removed (runners colour output when forced).
    static func lines(_ output: String) -> [Substring] {
        let clean = output.contains("\u{1B}[") ? stripANSI(output) : output
        return splitLines(clean)
    }

    static func stripANSI(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var iterator = text.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\u{1B}" else { out.append(scalar); continue }
            guard let next = iterator.next() else { break }
            guard next == "[" else { continue }
            // CSI: parameters until a final byte in @...~.
            while let c = iterator.next(), !(0x40...0x7E).contains(c.value) {}
        }
        return String(out)
    }

    static func trimmed(_ s: some StringProtocol) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    static func indentation(_ s: some StringProtocol) -> Int {
        s.prefix(while: { $0 == " " || $0 == "\t" }).count
    }

    /// The text between the first `start` and the next `end` after it.
    static func between(_ s: some StringProtocol, _ start: String, _ end: String) -> String? {
        let text = String(s)
        guard let a = text.range(of: start) else { return nil }
        guard let b = text.range(of: end, range: a.upperBound..<text.endIndex) else { return nil }
        return String(text[a.upperBound..<b.lowerBound])
    }

    static func after(_ s: some StringProtocol, _ marker: String) -> String? {
        let text = String(s)
        guard let a = text.range(of: marker) else { return nil }
        return String(text[a.upperBound...])
    }
}
