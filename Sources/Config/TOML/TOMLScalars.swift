import JSONValue

/// Values that are not strings, arrays or tables: booleans, integers (decimal, 0x, 0o, 0b), floats
/// (with `inf` and `nan`), and dates and times, which are kept as the text written (JSON has no date).
extension TOMLCursor {
    mutating func readScalar() throws(TOMLSyntaxError) -> JSON {
        let start = index
        var end = index
        while end < bytes.count, bytes[end].isScalarCharacter { end += 1 }
        // A date and a time may be separated by a space: `1979-05-27 07:32:00`.
        if end - start == 10, end + 3 < bytes.count, bytes[end] == .space, bytes[end + 1].isDigit, bytes[end + 2].isDigit,
           bytes[end + 3] == UInt8(ascii: ":") {
            end += 1
            while end < bytes.count, bytes[end].isScalarCharacter { end += 1 }
        }
        guard end > start else { throw error("expected a value, found \(found)") }
        let token = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let value = Self.scalar(token) else { throw error("not a TOML value: \(token)", at: start) }
        advance(end - start)
        return value
    }

    static func scalar(_ token: String) -> JSON? {
        switch token {
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "inf", "+inf": return .double(.infinity)
        case "-inf": return .double(-.infinity)
        case "nan", "+nan", "-nan": return .double(.nan)
        default: break
        }
        if let integer = integer(token) { return .number(String(integer)) }
        if let float = float(token) { return .double(float) }
        if TOMLDateTime.isValid(token) { return .string(token) }
        return nil
    }

    /// Decimal with an optional sign and no leading zero, or 0x / 0o / 0b with no sign; `_` only
    /// between digits.
    static func integer(_ token: String) -> Int? {
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where token.hasPrefix(prefix) {
            let digits = token.dropFirst(2)
            guard underscoresBetweenDigits(digits, radix: radix) else { return nil }
            return Int(String(digits.filter { $0 != "_" }), radix: radix)
        }
        var digits = Substring(token)
        if digits.first == "+" || digits.first == "-" { digits = digits.dropFirst() }
        guard underscoresBetweenDigits(digits, radix: 10), !(digits.count > 1 && digits.first == "0") else { return nil }
        return Int(String(token.filter { $0 != "_" }))
    }

    /// An integer part (as a decimal integer), then a fraction, an exponent, or both.
    static func float(_ token: String) -> Double? {
        var rest = Substring(token)
        var sign = ""
        if rest.first == "+" || rest.first == "-" { sign = String(rest.first!); rest = rest.dropFirst() }
        let exponentStart = rest.firstIndex { $0 == "e" || $0 == "E" }
        let mantissa = rest[..<(exponentStart ?? rest.endIndex)]
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first else { return nil }
        guard underscoresBetweenDigits(whole, radix: 10), !(whole.count > 1 && whole.first == "0") else { return nil }
        if parts.count == 2 { guard underscoresBetweenDigits(parts[1], radix: 10) else { return nil } }
        if let exponentStart {
            var exponent = rest[rest.index(after: exponentStart)...]
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard underscoresBetweenDigits(exponent, radix: 10) else { return nil }
        } else if parts.count == 1 {
            return nil  // an integer, handled there
        }
        return Double(sign + rest.filter { $0 != "_" })
    }

    /// At least one digit of the radix, with each `_` between two digits.
    static func underscoresBetweenDigits(_ text: Substring, radix: Int) -> Bool {
        guard let first = text.first, let last = text.last, first != "_", last != "_" else { return false }
        var previous: Character = " "
        for character in text {
            if character == "_" {
                if previous == "_" { return false }
            } else if character.hexDigitValue.map({ $0 >= radix }) ?? true {
                return false
            }
            previous = character
        }
        return true
    }
}

/// RFC 3339 dates and times as TOML allows them: offset date-time, local date-time, local date, local time.
enum TOMLDateTime {
    static func isValid(_ token: String) -> Bool {
        let text = Array(token.utf8)
        if let afterDate = date(text, from: 0) {
            if afterDate == text.count { return true }
            guard [UInt8(ascii: "T"), UInt8(ascii: "t"), .space].contains(text[afterDate]),
                  let afterTime = time(text, from: afterDate + 1) else { return false }
            return afterTime == text.count || offset(text, from: afterTime)
        }
        return time(text, from: 0) == text.count
    }

    private static func number(_ text: [UInt8], _ from: Int, _ count: Int, max: Int, min: Int = 0) -> Bool {
        guard from + count <= text.count, text[from..<from + count].allSatisfy(\.isDigit),
              let value = Int(String(decoding: text[from..<from + count], as: UTF8.self)) else { return false }
        return value >= min && value <= max
    }

    /// `YYYY-MM-DD`; the position after it.
    private static func date(_ text: [UInt8], from: Int) -> Int? {
        guard number(text, from, 4, max: 9999), text.count > from + 4, text[from + 4] == UInt8(ascii: "-"),
              number(text, from + 5, 2, max: 12, min: 1), text.count > from + 7, text[from + 7] == UInt8(ascii: "-"),
              number(text, from + 8, 2, max: 31, min: 1) else { return nil }
        let year = Int(String(decoding: text[from..<from + 4], as: UTF8.self))!
        let month = Int(String(decoding: text[from + 5..<from + 7], as: UTF8.self))!
        let day = Int(String(decoding: text[from + 8..<from + 10], as: UTF8.self))!
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days ? from + 10 : nil
    }

    /// `HH:MM:SS` with optional fraction; the position after it.
    private static func time(_ text: [UInt8], from: Int) -> Int? {
        guard number(text, from, 2, max: 23), text.count > from + 2, text[from + 2] == UInt8(ascii: ":"),
              number(text, from + 3, 2, max: 59), text.count > from + 5, text[from + 5] == UInt8(ascii: ":"),
              number(text, from + 6, 2, max: 60) else { return nil }
        var end = from + 8
        if end < text.count, text[end] == UInt8(ascii: ".") {
            let digitsStart = end + 1
            end = digitsStart
            while end < text.count, text[end].isDigit { end += 1 }
            if end == digitsStart { return nil }
        }
        return end
    }

    /// `Z` or `±HH:MM`, ending the token.
    private static func offset(_ text: [UInt8], from: Int) -> Bool {
        if text.count == from + 1, text[from] == UInt8(ascii: "Z") || text[from] == UInt8(ascii: "z") { return true }
        guard text.count == from + 6, text[from] == UInt8(ascii: "+") || text[from] == UInt8(ascii: "-") else { return false }
        return number(text, from + 1, 2, max: 23) && text[from + 3] == UInt8(ascii: ":") && number(text, from + 4, 2, max: 59)
    }
}

private extension UInt8 {
    /// What a number, boolean or date token can hold (a date's space is handled on its own).
    var isScalarCharacter: Bool {
        isBareKeyCharacter || self == UInt8(ascii: "+") || self == UInt8(ascii: ".") || self == UInt8(ascii: ":")
    }
}
