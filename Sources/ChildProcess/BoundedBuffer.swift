/// Collects a stream's bytes, keeping at most `limit`: the first half and the latest half.
struct BoundedBuffer {
    let limit: Int
    private(set) var head: [UInt8] = []
    private var tail: [UInt8] = []
    private(set) var dropped = 0

    init(limit: Int) { self.limit = max(limit, 2) }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let half = limit / 2
        var rest = bytes[...]
        if head.count < half {
            let take = min(half - head.count, rest.count)
            head.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
        guard !rest.isEmpty else { return }
        tail.append(contentsOf: rest)
        if tail.count > limit - half {
            let excess = tail.count - (limit - half)
            tail.removeFirst(excess)
            dropped += excess
        }
    }

    var bytes: [UInt8] {
        guard dropped > 0 else { return head + tail }
        return head + Array("\n[… \(dropped) bytes left out …]\n".utf8) + tail
    }
}
