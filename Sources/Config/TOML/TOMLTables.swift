import JSONValue

/// The tables of a document as it is read, with what TOML needs to know about each to refuse a
/// second definition: a table is defined once, by a `[header]` or by dotted keys (`a.b = 1`), and
/// one defined one way cannot be extended the other way later. The rules follow TOML 1.0 and
/// agree with Python's tomllib, the reference the tests compare against.
final class TOMLTableNode {
    enum Origin: Equatable {
        /// Made on the way to a deeper header (`[a.b]` makes `a`); a header may still define it.
        case implicit
        case header
        /// Made by dotted keys in the section (the lines after one header) with this number.
        case dotted(section: Int)
    }

    enum Entry {
        case value(JSON)
        case table(TOMLTableNode)
        case tables([TOMLTableNode])
    }

    var origin: Origin
    private(set) var entries: [String: Entry] = [:]

    init(origin: Origin) { self.origin = origin }

    var json: JSON {
        .object(entries.mapValues { entry in
            switch entry {
            case .value(let value): value
            case .table(let table): table.json
            case .tables(let tables): .array(tables.map(\.json))
            }
        })
    }

    enum Refusal: Error {
        case duplicateKey(String)
        case notATable(String)
        case redefinition(String, why: String)
    }

    /// `a.b.c = value` read in `section`: `a` and `b` are made or reused, `c` must be new. `prefix` is
    /// this table's own path, for messages.
    func assign(_ keys: [String], _ value: JSON, section: Int, prefix: [String]) throws(Refusal) {
        var table = self
        for (depth, key) in keys.dropLast().enumerated() {
            // Built only for a message: joining on every part would be quadratic in a long key.
            var path: String { (prefix + keys[...depth]).joined(separator: ".") }
            switch table.entries[key] {
            case nil:
                let made = TOMLTableNode(origin: .dotted(section: section))
                table.entries[key] = .table(made)
                table = made
            case .table(let existing):
                switch existing.origin {
                case .implicit: existing.origin = .dotted(section: section)
                case .dotted(let madeIn) where madeIn == section: break
                case .dotted: throw .redefinition(path, why: "its dotted keys were given in an earlier table section")
                case .header: throw .redefinition(path, why: "it has its own [\(path)] header; add the key there")
                }
                table = existing
            case .value, .tables:
                throw .notATable(path)
            }
        }
        let last = keys[keys.count - 1]
        guard table.entries[last] == nil else { throw .duplicateKey((prefix + keys).joined(separator: ".")) }
        table.entries[last] = .value(value)
    }

    /// `[a.b.c]`: the table the following keys go into.
    func defineTable(_ keys: [String]) throws(Refusal) -> TOMLTableNode {
        let parent = try walkToParent(of: keys)
        let name = keys.joined(separator: ".")
        switch parent.entries[keys[keys.count - 1]] {
        case nil:
            let made = TOMLTableNode(origin: .header)
            parent.entries[keys[keys.count - 1]] = .table(made)
            return made
        case .table(let existing):
            switch existing.origin {
            case .implicit:
                existing.origin = .header
                return existing
            case .header: throw .redefinition(name, why: "[\(name)] appears twice")
            case .dotted: throw .redefinition(name, why: "it was already made by dotted keys")
            }
        case .tables: throw .redefinition(name, why: "it is an array of tables ([[\(name)]])")
        case .value: throw .notATable(name)
        }
    }

    /// `[[a.b.c]]`: a new table at the end of the array `c`, where the following keys go.
    func appendTable(_ keys: [String]) throws(Refusal) -> TOMLTableNode {
        let parent = try walkToParent(of: keys)
        let name = keys.joined(separator: ".")
        let made = TOMLTableNode(origin: .header)
        switch parent.entries[keys[keys.count - 1]] {
        case nil: parent.entries[keys[keys.count - 1]] = .tables([made])
        case .tables:
            // Taken out first so the array is not shared and grows in place (thousands of [[a]] stay linear).
            guard case .tables(var tables) = parent.entries.removeValue(forKey: keys[keys.count - 1]) else { break }
            tables.append(made)
            parent.entries[keys[keys.count - 1]] = .tables(tables)
        case .table: throw .redefinition(name, why: "it is already a table, not an array of tables")
        case .value: throw .notATable(name)
        }
        return made
    }

    /// A header's path up to its last key: tables are entered (made if missing), an array of tables
    /// means its last table, and a plain value ends the walk with an error.
    private func walkToParent(of keys: [String]) throws(Refusal) -> TOMLTableNode {
        var table = self
        for (depth, key) in keys.dropLast().enumerated() {
            switch table.entries[key] {
            case nil:
                let made = TOMLTableNode(origin: .implicit)
                table.entries[key] = .table(made)
                table = made
            case .table(let existing): table = existing
            case .tables(let tables): table = tables[tables.count - 1]
            case .value: throw .notATable(keys[...depth].joined(separator: "."))
            }
        }
        return table
    }
}

extension TOMLTableNode.Refusal {
    var message: String {
        switch self {
        case .duplicateKey(let key): "duplicate key \(key)"
        case .notATable(let key): "\(key) is a value, not a table, so nothing can be added to it"
        case .redefinition(let name, let why): "cannot define table \(name) again: \(why)"
        }
    }
}
