import Foundation
import JSONValue

/// Recovers tool calls that a server or a small model left in the text of an answer:
/// - Hermes/Qwen `<tool_call>{"name":…,"arguments":…}</tool_call>` blocks (also after prose; the last
///   closing tag may be missing when generation stopped there);
/// - Kimi K2 `<|tool_calls_section_begin|><|tool_call_begin|>functions.NAME:IDX<|tool_call_argument_begin|>{…}<|tool_call_end|>…`
///   (the id is kept verbatim);
/// - a bare or ```json-fenced object `{"name": …, "arguments": …}` naming a known tool.
/// Arguments that are not valid JSON are repaired only where the fix is unambiguous (a trailing comma,
/// missing closing brackets at the end); otherwise the call is reported in `errors`.
public enum ToolCallRecovery {
    public static func recover(text: String, knownTools: Set<String>) -> (calls: [ToolCall], errors: [String], remainingText: String) {
        recover(text: text, knownTools: knownTools, allowBareJSON: true)
    }

    /// `allowBareJSON: false` for reasoning, where JSON is often discussed rather than called.
    static func recover(text: String, knownTools: Set<String>, allowBareJSON: Bool) -> (calls: [ToolCall], errors: [String], remainingText: String) {
        var calls: [ToolCall] = []
        var errors: [String] = []
        var remaining = text

        if remaining.contains("<|tool_call_begin|>") {
            remaining = recoverKimi(remaining, calls: &calls, errors: &errors)
        }
        if remaining.contains("<tool_call>") {
            remaining = recoverHermes(remaining, calls: &calls, errors: &errors)
        }
        if calls.isEmpty, errors.isEmpty, allowBareJSON {
            remaining = recoverBareJSON(remaining, knownTools: knownTools, calls: &calls)
        }
        return (calls, errors, remaining.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: Kimi K2

    private static func recoverKimi(_ text: String, calls: inout [ToolCall], errors: inout [String]) -> String {
        var remaining = ""
        var rest = Substring(text)
        while let begin = rest.range(of: "<|tool_call_begin|>") {
            var before = rest[..<begin.lowerBound]
            for marker in ["<|tool_calls_section_begin|>", "<|tool_calls_section_end|>"] {
                before = Substring(before.replacingOccurrences(of: marker, with: ""))
            }
            remaining += before
            let body = rest[begin.upperBound...]
            let end = body.range(of: "<|tool_call_end|>")
            let block = end.map { body[..<$0.lowerBound] } ?? body
            rest = end.map { body[$0.upperBound...] } ?? ""
            guard let argMarker = block.range(of: "<|tool_call_argument_begin|>") else {
                errors.append("a Kimi tool call has no <|tool_call_argument_begin|> marker: \(ErrorMapping.snippet(String(block), limit: 200))")
                continue
            }
            let id = block[..<argMarker.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
            let name = kimiName(fromID: id)
            let rawArgs = block[argMarker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
            switch normalizedArguments(rawArgs) {
            case .success(let args): calls.append(ToolCall(id: id, name: name, arguments: args))
            case .failure(let why): errors.append("tool call \(name) (id \(id)): \(why)")
            }
        }
        for marker in ["<|tool_calls_section_begin|>", "<|tool_calls_section_end|>"] {
            rest = Substring(rest.replacingOccurrences(of: marker, with: ""))
        }
        return remaining + rest
    }

    /// `functions.read_file:3` → `read_file`.
    static func kimiName(fromID id: String) -> String {
        var name = Substring(id)
        if name.hasPrefix("functions.") { name = name.dropFirst("functions.".count) }
        if let colon = name.lastIndex(of: ":"), name[name.index(after: colon)...].allSatisfy(\.isNumber) { name = name[..<colon] }
        return String(name)
    }

    // MARK: Hermes / Qwen

    private static func recoverHermes(_ text: String, calls: inout [ToolCall], errors: inout [String]) -> String {
        var remaining = ""
        var rest = Substring(text)
        while let open = rest.range(of: "<tool_call>") {
            remaining += rest[..<open.lowerBound]
            let body = rest[open.upperBound...]
            let close = body.range(of: "</tool_call>")
            let block = (close.map { body[..<$0.lowerBound] } ?? body).trimmingCharacters(in: .whitespacesAndNewlines)
            rest = close.map { body[$0.upperBound...] } ?? ""
            let inner = stripFence(block)
            guard let object = parseRepairing(inner), case .object = object else {
                errors.append("a <tool_call> block is not valid JSON: \(ErrorMapping.snippet(inner, limit: 300))")
                continue
            }
            guard let name = object["name"]?.stringValue, !name.isEmpty else {
                errors.append("a <tool_call> block has no \"name\": \(ErrorMapping.snippet(inner, limit: 300))")
                continue
            }
            switch arguments(of: object) {
            case .success(let args): calls.append(ToolCall(id: generatedID(), name: name, arguments: args))
            case .failure(let why): errors.append("tool call \(name): \(why)")
            }
        }
        return remaining + rest
    }

    // MARK: Bare or fenced JSON

    private static func recoverBareJSON(_ text: String, knownTools: Set<String>, calls: inout [ToolCall]) -> String {
        var remaining = text
        for span in jsonObjectSpans(in: text).reversed() {
            let candidate = String(text[span])
            guard let object = parseRepairing(candidate),
                  let name = object["name"]?.stringValue, knownTools.contains(name),
                  object["arguments"] != nil || object["parameters"] != nil,
                  case .success(let args) = arguments(of: object)
            else { continue }
            calls.insert(ToolCall(id: generatedID(), name: name, arguments: args), at: 0)
            let removal = fenceAround(span, in: text) ?? span
            let lower = remaining.index(remaining.startIndex, offsetBy: text.distance(from: text.startIndex, to: removal.lowerBound))
            let upper = remaining.index(remaining.startIndex, offsetBy: text.distance(from: text.startIndex, to: removal.upperBound))
            remaining.removeSubrange(lower..<upper)
        }
        return remaining
    }

    /// Top-level `{…}` spans, string- and escape-aware.
    static func jsonObjectSpans(in text: String) -> [Range<String.Index>] {
        var spans: [Range<String.Index>] = []
        var depth = 0
        var inString = false
        var escaped = false
        var start: String.Index? = nil
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"", depth > 0 {
                inString = true
            } else if c == "{" {
                if depth == 0 { start = i }
                depth += 1
            } else if c == "}", depth > 0 {
                depth -= 1
                if depth == 0, let s = start { spans.append(s..<text.index(after: i)) }
            }
            i = text.index(after: i)
        }
        return spans
    }

    /// The ``` fence enclosing `span`, if the span is the whole fenced block.
    private static func fenceAround(_ span: Range<String.Index>, in text: String) -> Range<String.Index>? {
        let before = text[..<span.lowerBound]
        let after = text[span.upperBound...]
        guard let open = before.range(of: "```", options: .backwards),
              before[open.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines).allSatisfy({ $0.isLetter }),
              let close = after.range(of: "```"),
              after[..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else { return nil }
        return open.lowerBound..<close.upperBound
    }

    // MARK: Arguments

    /// The argument string of a `{"name", "arguments"|"parameters"}` object: an object is serialized
    /// (deterministically); a string must hold JSON (repaired if unambiguous).
    private static func arguments(of object: JSON) -> Result<String, RecoveryFailure> {
        let value = object["arguments"] ?? object["parameters"] ?? .object([:])
        switch value {
        case .object: return .success(value.serialized())
        case .string(let s): return normalizedArguments(s)
        case .null: return .success("{}")
        default: return .failure(RecoveryFailure("arguments are not a JSON object: \(value.serialized())"))
        }
    }

    struct RecoveryFailure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    /// Raw argument text: kept verbatim when it is a JSON object, else repaired when unambiguous.
    static func normalizedArguments(_ raw: String) -> Result<String, RecoveryFailure> {
        let text = stripFence(raw.trimmingCharacters(in: .whitespacesAndNewlines))
        if text.isEmpty { return .success("{}") }
        if let parsed = try? JSON.parse(text) {
            if case .object = parsed { return .success(text) }
            return .failure(RecoveryFailure("arguments are not a JSON object: \(ErrorMapping.snippet(text, limit: 200))"))
        }
        if let repaired = repair(text), let parsed = try? JSON.parse(repaired), case .object = parsed {
            return .success(repaired)
        }
        let why: String
        do { _ = try JSON.parse(text); why = "" } catch { why = error.description }
        return .failure(RecoveryFailure("arguments are not valid JSON (\(why)): \(ErrorMapping.snippet(text, limit: 300))"))
    }

    static func parseRepairing(_ text: String) -> JSON? {
        if let parsed = try? JSON.parse(text) { return parsed }
        if let repaired = repair(text) { return try? JSON.parse(repaired) }
        return nil
    }

    /// Unambiguous repairs only: drop trailing commas before `}`/`]`, and close brackets left open at
    /// the very end (generation stopped). An unterminated string is ambiguous and is not repaired.
    static func repair(_ text: String) -> String? {
        var out = ""
        var stack: [Character] = []
        var inString = false
        var escaped = false
        var pendingComma = false
        var pendingSpace = ""  // whitespace after a comma, kept once we know the comma stays
        for c in text {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
                continue
            }
            if c == "," { if pendingComma { return nil }; pendingComma = true; continue }
            if c.isWhitespace { if pendingComma { pendingSpace.append(c) } else { out.append(c) }; continue }
            if pendingComma {
                if c != "}" && c != "]" { out.append(",") }
                out += pendingSpace
                pendingSpace = ""
                pendingComma = false
            }
            switch c {
            case "\"": inString = true
            case "{": stack.append("}")
            case "[": stack.append("]")
            case "}", "]":
                guard stack.popLast() == c else { return nil }
            default: break
            }
            out.append(c)
        }
        if inString { return nil }
        out += String(stack.reversed())
        return out == text ? nil : out
    }

    static func stripFence(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.hasPrefix("```") else { return t }
        t.removeFirst(3)
        if let newline = t.firstIndex(of: "\n") { t = String(t[t.index(after: newline)...]) }
        if t.hasSuffix("```") { t.removeLast(3) }
        return t.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// An id for a recovered call: unique, and from then on kept verbatim like a server's.
    static func generatedID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return "call_" + String((0..<24).map { _ in alphabet.randomElement()! })
    }
}
