import CFuzz
import JSONValue

/// libFuzzer entry: any bytes either parse — and then serialize to text that parses back and
/// serializes to the same bytes (what keeps requests byte-stable) — or throw a parse error; never
/// crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSON.parse(bytes) else { return 0 }
    let text = value.serializedBytes()
    guard let again = try? JSON.parse(text) else { preconditionFailure("serialized JSON does not parse: \(String(decoding: text, as: UTF8.self))") }
    precondition(again.serializedBytes() == text, "serialize → parse → serialize changed the bytes")
    return 0
}

/// The entry point SwiftPM links as `main`: hands the command line to libFuzzer's driver.
@_cdecl("FuzzJSON_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in data.map { fuzz($0, size) } ?? 0 }
}
