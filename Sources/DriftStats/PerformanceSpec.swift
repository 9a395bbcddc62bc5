/// `performance:` (DESIGN §12): the task, when it is not to be inferred from the actuals, and the positive class
/// of a binary classifier.
public struct PerformanceSpec: Hashable, Sendable {
    public var task: PerformanceTask?
    public var classes: PositiveClass

    public init(task: PerformanceTask? = nil, classes: PositiveClass = PositiveClass()) {
        self.task = task
        self.classes = classes
    }
}
