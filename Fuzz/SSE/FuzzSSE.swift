import CFuzz
import ModelClient

/// libFuzzer entry: the SSE parser gives the same events however the bytes are split (here: whole,
/// and one byte at a time), and at the end reports what it discarded — never crashes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var whole = SSEParser()
    let events = whole.feed(bytes)
    let discarded = whole.finish()
    var piecewise = SSEParser()
    var again: [SSEParser.Event] = []
    for byte in bytes { again += piecewise.feed([byte]) }
    precondition(again == events, "splitting the stream changed its events")
    precondition(piecewise.finish() == discarded, "splitting the stream changed what was discarded")
    return 0
}

/// The entry point SwiftPM links as `main`: hands the command line to libFuzzer's driver.
@_cdecl("FuzzSSE_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in data.map { fuzz($0, size) } ?? 0 }
}
