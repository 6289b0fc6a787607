import Foundation
import JSONValue
import ModelClient

extension ToolCall {
    /// One readable line for events, stubs and the ledger: `read_file(path=calc.py, start_line=4)`,
    /// each value cut at 40 characters with newlines shown as ⏎.
    var summary: String {
        guard let args = try? JSON.parse(arguments), let object = args.objectValue, !object.isEmpty else { return "\(name)()" }
        let parts = object.keys.sorted().compactMap { key -> String? in
            guard let value = object[key] else { return nil }
            var text = value.stringValue ?? value.serialized()
            text = text.replacingOccurrences(of: "\n", with: "⏎")
            if text.count > 40 { text = String(text.prefix(40)) + "…" }
            return "\(key)=\(text)"
        }
        return "\(name)(\(parts.joined(separator: ", ")))"
    }

    /// The `path` argument, when the call has one.
    var pathArgument: String? { (try? JSON.parse(arguments))?["path"]?.stringValue }
}

extension String {
    /// The first line, cut at 100 characters: an observation as one progress line.
    var firstLine: String {
        let line = split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return line.count > 100 ? String(line.prefix(100)) + "…" : line
    }
}
