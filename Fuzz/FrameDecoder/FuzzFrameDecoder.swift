import CFuzz
import JSONRPC

/// libFuzzer entry: the JSON-RPC frame decoder fed the input in two pieces (split at the first
/// byte's value) yields frames or framing errors until it needs more input — never crashes or
/// loops, and never returns a body larger than its limit.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var decoder = FrameDecoder(maxMessageSize: 1 << 16)
    let split = bytes.isEmpty ? 0 : Int(bytes[0]) % (bytes.count + 1)
    for piece in [bytes[..<split], bytes[split...]] {
        decoder.push(piece)
        var events = 0
        while decoder.next() != nil {
            events += 1
            precondition(events <= bytes.count + 1, "the decoder produced more events than there are bytes")
        }
    }
    return 0
}

/// The entry point SwiftPM links as `main`: hands the command line to libFuzzer's driver.
@_cdecl("FuzzFrameDecoder_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in data.map { fuzz($0, size) } ?? 0 }
}
