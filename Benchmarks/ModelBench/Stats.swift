import Foundation

/// Median and spread of a sample, as the benchmark tables print them.
struct Sample {
    var values: [Double]

    var median: Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .nan }
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
    var min: Double { values.min() ?? .nan }
    var max: Double { values.max() ?? .nan }

    /// "median (min–max)" with `decimals` places.
    func summary(_ decimals: Int) -> String {
        "\(fixed(median, decimals)) (\(fixed(min, decimals))–\(fixed(max, decimals)))"
    }
}

func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ModelBench: \(message)\n".utf8))
    exit(1)
}
