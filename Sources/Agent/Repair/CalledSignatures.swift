/// The signatures of the functions a definition calls that its own file defines: what a model needs
/// to see that `strip_iter(strip_value, iterable)` passes the arguments in the wrong order, without
/// the callee's whole body.
enum CalledSignatures {
    static let limit = 6

    /// `number: signature line` for each name `definition` calls that `fileText` defines (first
    /// definition of each, the definition itself left out), in the order of the file.
    static func lines(for definition: FocusSnippet.Shown, in fileText: String) -> [String] {
        let shown = definition.sourceRows
        guard let own = shown.first.flatMap({ Localization.definedName(Substring($0.text)) }) else { return [] }
        let called = Localization.calledNames(shown.dropFirst().map(\.text).joined(separator: "\n"))
        guard !called.isEmpty else { return [] }
        var seen: Set<String> = [own]
        var out: [String] = []
        for (index, line) in TextFile.lines(fileText).enumerated() {
            guard let name = Localization.definedName(line), called.contains(name), seen.insert(name).inserted else { continue }
            out.append("\(index + 1): \(line.trimmingCharacters(in: .whitespaces).prefix(200))")
            if out.count == limit { break }
        }
        return out
    }
}
