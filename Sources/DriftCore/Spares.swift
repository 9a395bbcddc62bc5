/// Buffers given back by the stage that is done with them, for the stage that fills them: a batch pipeline's
/// megabyte buffers go round instead of being freed and allocated again.
///
/// Freed, a batch's megabytes leave holes in the allocator's heap that the windows' small, long-lived allocations
/// fill, so the next batch needs fresh memory (peak RSS); given to `mmap` instead, every batch faults its pages in
/// anew (CPU). Kept here, a buffer keeps its pages. At most `kept` are kept: the rest are freed.
public final class Spares<Element>: @unchecked Sendable {  // `items` is behind its lock
    private let items: Locked<[Element]>
    public let kept: Int

    public init(kept: Int) {
        self.kept = kept
        items = Locked([])
    }

    /// Keeps `element` unless `kept` are kept already. The caller gives up its copy: a buffer still shared when it
    /// is filled again would be copied, not reused.
    public func put(_ element: consuming Element) {
        var element: Element? = consume element
        items.withLock { if $0.count < kept { $0.append(element.take()!) } }
    }

    /// A kept buffer, if any: the caller empties it (keeping its capacity) and fills it.
    public func take() -> Element? {
        items.withLock { $0.popLast() }
    }

    /// How many are kept now.
    public var count: Int { items.withLock { $0.count } }
}
