/// The settings table of docs/configuration.md, generated from `ConfigKey` (a test keeps them equal).
public enum ConfigDocs {
    public static let beginMarker = "<!-- settings table: generated from Sources/Config/ConfigKey.swift -->"
    public static let endMarker = "<!-- end of settings table -->"

    public static var settingsTable: String {
        var lines = [
            beginMarker,
            "| key | option | type and limits | default | set in | meaning |",
            "|---|---|---|---|---|---|",
        ]
        for key in ConfigKey.allCases {
            let layers = SettingsLayer.allCases.filter { key.layers.contains($0) }.map(\.rawValue).joined(separator: ", ")
            lines.append("| `\(key.rawValue)` | `\(key.option)` | \(key.expected) | \(key.defaultText) | \(layers) | \(key.summary) |")
        }
        if !ConfigFile.tables.isEmpty {
            lines += ["", "| table | holds |", "|---|---|"]
            for (name, summary) in ConfigFile.tables.sorted(by: { $0.key < $1.key }) { lines.append("| `[\(name)]` | \(summary) |") }
        }
        lines.append(endMarker)
        return lines.joined(separator: "\n")
    }
}
