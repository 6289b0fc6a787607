/// Turns the `args` of `run_tests` into shell words that can only be arguments: each word single-quoted,
/// and anything that looks like shell syntax refused (nil).
enum ShellWords {
    static let forbidden: Set<Character> = [";", "|", "&", "$", "`", "<", ">", "(", ")", "'", "\"", "\\", "\n", "*", "?", "{", "}", "~", "!"]

    static func quoted(_ args: String) -> String? {
        let words = args.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard !words.isEmpty, !args.contains(where: forbidden.contains) else { return nil }
        return words.map { "'" + $0 + "'" }.joined(separator: " ")
    }
}
