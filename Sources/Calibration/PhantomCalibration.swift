// Phantom calibration: measure rods (user-placed or detected), fit HU = a + b·ρ, report leave-one-out errors.
import OpenBCTCore

/// Calibration from rods of known density in the scan.
public enum PhantomCalibration {
    /// How the rods' HU relate to their density.
    public enum Response: String, Codable, Sendable, CaseIterable {
        /// HU = a + b·ρ over one group of rods (methods.md §3); detected rods: the largest size group.
        case linear
        /// HU = bg + s_g·(a + b·ρ + c·ρ² − bg) over every complete size group (`QuadraticResponse`): needs
        /// two size groups, or four rods of one group, so that every rod can still be measured leave-one-out.
        case quadratic
    }

    /// ROI radius on a detected rod: a small central disc, clear of the partial-volume rim.
    static func centralROIRadius(diameterMM: Double) -> Double { min(1.0, 0.3 * diameterMM) }

    /// Calibrates `hu` with `phantom`: its rods at their given centres, or else detected.
    ///
    /// Detected rods are grouped by size (diameters within 25 %); within the largest group that has
    /// one rod per nominal density, rods are ranked by HU and given the densities in ascending order.
    /// With `response` `.quadratic`, every detected size group with one rod per nominal density is used (the
    /// largest is the reference); user-placed rods form one group.
    public static func calibrate(_ hu: Volume<Float>, phantom: PhantomDefinition, input: String? = nil,
                                 response: Response = .linear, detector: RodDetector = RodDetector()) throws -> Calibration {
        var regions: [CalibrationRegion] = []
        var notes: [String] = []
        if phantom.rods.allSatisfy({ $0.centre != nil }) {
            for rod in phantom.rods {
                let c = hu.grid.continuousIndex(physical: rod.centre!)
                let k = Int(c.z.rounded())
                let r = rod.radiusMM ?? 2
                guard var region = hu.discRegion(name: "rod \(rod.density) mg/cm³", ci: c.x, cj: c.y, k: k, radiusMM: r),
                      region.statistics.count >= 3 else {
                    throw CalibrationError("rod \(rod.density) mg/cm³ at \(rod.centre!) mm lies outside the scan or covers fewer than 3 voxels")
                }
                region.referenceDensity = rod.density
                regions.append(region)
            }
            notes.append("rod ROIs given by the user")
        } else {
            let rods = detector.detect(in: hu)
            let groups = matchingGroups(rods, count: phantom.rods.count)
            guard !groups.isEmpty else {
                throw CalibrationError("found \(rods.count) rod-like inserts but no group of \(phantom.rods.count) of one size to match \(phantom.name)")
            }
            let used = response == .linear ? [groups[0]] : groups
            for (index, group) in used.enumerated() {
                regions += try measure(group, densities: phantom.rods.map(\.density), in: hu, sizeGroup: index)
            }
            let sizes = used.map { g in String(format: "%.1f", g.map(\.diameterMM).reduce(0, +) / Double(g.count)) }
            notes.append("rods detected automatically (\(rods.count) inserts found; \(used.count) group\(used.count > 1 ? "s" : "") of \(phantom.rods.count) used, about \(sizes.joined(separator: " and ")) mm); densities assigned by HU rank within a group; ROI = central disc on each rod's peak slice")
        }
        // Water densities follow each region's rod (detected rods are reordered by HU).
        let waterDensities = regions.compactMap { region in
            phantom.rods.first { $0.density == region.referenceDensity }?.waterDensity
        }
        if waterDensities.count == regions.count, phantom.equivalent == .k2hpo4 {
            guard response == .linear else {
                throw CalibrationError("the Mindways K2HPO4-in-water form is linear; use the linear response with certificate water densities")
            }
            return try mindways(regions: regions, waterDensities: waterDensities, phantom: phantom, input: input, notes: notes)
        }
        if response == .quadratic {
            return try fitQuadratic(regions: regions, equivalent: phantom.equivalent, input: input,
                                    notes: notes + ["phantom: \(phantom.name)"])
        }
        return try fitRods(regions: regions, method: .phantom, equivalent: phantom.equivalent, input: input,
                           notes: notes + ["phantom: \(phantom.name)"])
    }

    /// Central-disc ROIs of one size group's rods, ranked by HU and given `densities` in ascending order;
    /// each keeps the HU of its surroundings (the detector's annulus) and its size group.
    static func measure(_ group: [DetectedRod], densities: [Double], in hu: Volume<Float>, sizeGroup: Int) throws -> [CalibrationRegion] {
        var measured = group.compactMap { rod -> CalibrationRegion? in
            guard var region = hu.discRegion(name: "rod", ci: rod.ci, cj: rod.cj, k: rod.peakSlice,
                                             radiusMM: centralROIRadius(diameterMM: rod.diameterMM)) else { return nil }
            region.backgroundHU = rod.backgroundHU
            region.sizeGroup = sizeGroup
            return region
        }
        guard measured.count == densities.count else { throw CalibrationError("a detected rod's ROI is empty") }
        measured.sort { $0.statistics.mean < $1.statistics.mean }
        for (index, density) in densities.sorted().enumerated() {
            measured[index].referenceDensity = density
            measured[index].name = String(format: "rod %.0f mg/cm³ (%.1f mm)", density, group[0].diameterMM)
        }
        return measured
    }

    /// Groups of similar-size rods (diameters within 25 %) with exactly `count` members, largest diameter first.
    static func matchingGroups(_ rods: [DetectedRod], count: Int) -> [[DetectedRod]] {
        var groups: [[DetectedRod]] = []
        for rod in rods.sorted(by: { $0.diameterMM > $1.diameterMM }) {
            if let g = groups.indices.last, abs(groups[g][0].diameterMM - rod.diameterMM) <= 0.25 * groups[g][0].diameterMM {
                groups[g].append(rod)
            } else {
                groups.append([rod])
            }
        }
        return groups.filter { $0.count == count }
    }

    /// Least squares of (HU − offset) on reference density, with in-sample and leave-one-out errors;
    /// `adjust` turns a fitted line into the HU = a + b·ρ form.
    static func fitRods(regions: [CalibrationRegion], method: Calibration.Method, equivalent: MineralEquivalent,
                        input: String?, notes: [String], offsets: [Double]? = nil,
                        adjust: (LinearFit) -> LinearFit = { $0 }) throws -> Calibration {
        let points = regions.indices.map { i in
            (x: regions[i].referenceDensity!, y: regions[i].statistics.mean - (offsets?[i] ?? 0))
        }
        let fit = try LinearFit(points)
        let line = adjust(fit)
        var out = regions
        for index in out.indices {
            let hu = out[index].statistics.mean
            let reference = out[index].referenceDensity!
            out[index].residualHU = fit.residuals[index]
            out[index].fittedDensity = line.inverse(hu)
            var others = points; others.remove(at: index)
            // Never measure a rod with a fit that includes it.
            if others.count >= 2, Set(others.map(\.x)).count >= 2, let loo = try? LinearFit(others) {
                let density = adjust(loo).inverse(hu)
                out[index].leaveOneOutDensity = density
                out[index].leaveOneOutError = density - reference
            }
        }
        return Calibration(method: method, equivalent: equivalent, line: line, regions: out,
                           provenance: .init(input: input, notes: notes + linearityNotes(points)))
    }

    /// With three or more rod densities: the HU per mg/cm³ between adjacent rods, so a response that is
    /// not linear (QRM: steeper between 400 and 800 than between 200 and 400) is visible in the report,
    /// and the reminder that the end rods' leave-one-out values are extrapolations.
    static func linearityNotes(_ points: [(x: Double, y: Double)]) -> [String] {
        // Mean HU per density (two rods of one density count as one point).
        let byDensity = Dictionary(grouping: points, by: \.x).mapValues { $0.reduce(0) { $0 + $1.y } / Double($0.count) }
        let densities = byDensity.keys.sorted()
        guard densities.count >= 3 else { return [] }
        let segments = zip(densities, densities.dropFirst()).map { lo, hi in
            (lo, hi, (byDensity[hi]! - byDensity[lo]!) / (hi - lo))
        }
        let slopes = segments.map(\.2)
        let list = segments.map { String(format: "%.3f (%g–%g)", $0.2, $0.0, $0.1) }.joined(separator: ", ")
        let spread = slopes.min()! > 0 ? String(format: "; largest/smallest %+.1f %%", 100 * (slopes.max()! / slopes.min()! - 1)) : ""
        return ["HU per mg/cm³ between adjacent rods: \(list)\(spread)",
                "leave-one-out of the lowest and highest rods extrapolates the line from the others (a response that is not linear shows there first)"]
    }

    /// The Mindways K2HPO4-in-water form: fit HU − ρ_water = σ·ρ_K + β over the rods, then
    /// σ_CT = σ − 0.2174, β_CT = β + 999.6, ρ_K = (HU − β_CT)/σ_CT.
    static func mindways(regions: [CalibrationRegion], waterDensities: [Double], phantom: PhantomDefinition,
                         input: String?, notes: [String]) throws -> Calibration {
        return try fitRods(regions: regions, method: .mindwaysK2HPO4InWater, equivalent: .k2hpo4, input: input,
                           notes: notes + ["phantom: \(phantom.name) (Mindways K2HPO4-in-water form)"],
                           offsets: waterDensities, adjust: { fit in
                               var line = fit
                               line.slope = fit.slope - 0.2174
                               line.intercept = fit.intercept + 999.6
                               return line
                           })
    }
}
