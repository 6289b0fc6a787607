/// Collects a stream's bytes, keeping at most `limit`: the first half and the latest half. The latest
/// half is a ring, so each append costs only the bytes appended however much has streamed past.
struct BoundedBuffer {
    let limit: Int
    private(set) var head: [UInt8] = []
    /// The latest bytes: a ring of capacity `limit - limit / 2` once full; `ringStart` is its oldest byte.
    private var ring: [UInt8] = []
    private var ringStart = 0
    private(set) var dropped = 0

    init(limit: Int) { self.limit = max(limit, 2) }

    private var ringCapacity: Int { limit - limit / 2 }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let half = limit / 2
        var rest = bytes[...]
        if head.count < half {
            let take = min(half - head.count, rest.count)
            head.append(contentsOf: rest.prefix(take))
            rest = rest.dropFirst(take)
        }
        guard !rest.isEmpty else { return }
        let capacity = ringCapacity
        if rest.count >= capacity {
            // The chunk alone fills the ring: everything older goes.
            dropped += ring.count + rest.count - capacity
            ring = Array(rest.suffix(capacity))
            ringStart = 0
            return
        }
        if ring.count < capacity {
            let fill = min(capacity - ring.count, rest.count)
            ring.append(contentsOf: rest.prefix(fill))
            rest = rest.dropFirst(fill)
        }
        // Overwrite the oldest bytes in place.
        while !rest.isEmpty {
            let n = min(capacity - ringStart, rest.count)
            ring.replaceSubrange(ringStart..<(ringStart + n), with: rest.prefix(n))
            ringStart = (ringStart + n) % capacity
            dropped += n
            rest = rest.dropFirst(n)
        }
    }

    private var tail: [UInt8] { Array(ring[ringStart...] + ring[..<ringStart]) }

    var bytes: [UInt8] {
        guard dropped > 0 else { return head + tail }
        return head + Array("\n[… \(dropped) bytes left out …]\n".utf8) + tail
    }
}
