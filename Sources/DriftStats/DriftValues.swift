/// The drift of one feature in one window against the reference (DESIGN §5): the `drift` object of a feature
/// line. Each measure is nil where it does not apply (KS and Wasserstein are numeric only, chi-square
/// categorical only) or cannot be computed (an empty window).
public struct DriftValues: Hashable, Sendable {
    public var psi: Double?
    public var js: Double?
    public var ks: Double?
    public var wasserstein: Double?
    public var wassersteinNorm: Double?
    public var chi2P: Double?
    /// Share of the window's numeric values outside the reference's [min, max].
    public var outOfRange: Double?
    /// The window's missing rate minus the reference's.
    public var missingRateChange: Double?
    /// The window's invalid rate (values of the wrong type, per record) minus the reference's: a schema change
    /// upstream.
    public var invalidRateChange: Double?

    public init(
        psi: Double? = nil, js: Double? = nil, ks: Double? = nil, wasserstein: Double? = nil,
        wassersteinNorm: Double? = nil, chi2P: Double? = nil, outOfRange: Double? = nil,
        missingRateChange: Double? = nil, invalidRateChange: Double? = nil
    ) {
        self.psi = psi
        self.js = js
        self.ks = ks
        self.wasserstein = wasserstein
        self.wassersteinNorm = wassersteinNorm
        self.chi2P = chi2P
        self.outOfRange = outOfRange
        self.missingRateChange = missingRateChange
        self.invalidRateChange = invalidRateChange
    }
}
