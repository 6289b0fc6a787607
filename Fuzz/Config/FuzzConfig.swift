import CFuzz
import Config

/// libFuzzer entry: any fixpoint.toml text, through the TOML reader and the settings reader, either gives
/// settings or a ConfigError that names the file — never crashes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do { _ = try ConfigFile.parse(text, path: "fixpoint.toml") } catch {
        precondition(error.description.contains("fixpoint.toml"), "a config error that does not name the file: \(error)")
    }
    return 0
}

/// The entry point SwiftPM links as `main`: hands the command line to libFuzzer's driver.
@_cdecl("FuzzConfig_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in data.map { fuzz($0, size) } ?? 0 }
}
