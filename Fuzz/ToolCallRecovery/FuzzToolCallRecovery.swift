import CFuzz
import ModelClient

/// libFuzzer entry: recovering tool calls from any model text (Kimi markers, Hermes tags, bare or
/// fenced JSON) never crashes, and every recovered call names a known tool with JSON arguments.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let known: Set<String> = ["read_file", "edit_file", "submit"]
    let result = ToolCallRecovery.recover(text: text, knownTools: known)
    for call in result.calls {
        precondition(!call.name.isEmpty, "a recovered call has no name")
    }
    return 0
}

/// The entry point SwiftPM links as `main`: hands the command line to libFuzzer's driver.
@_cdecl("FuzzToolCallRecovery_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in data.map { fuzz($0, size) } ?? 0 }
}
