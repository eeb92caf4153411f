// Phantom calibration with the quadratic response: fit over every size group, every rod measured leave-one-out.
import Foundation

extension PhantomCalibration {
    /// Fits `QuadraticResponse` over `regions` (rods with reference densities; `sizeGroup` 0 = reference,
    /// `backgroundHU` needed for the other groups) and measures each rod in-sample and leave-one-out.
    static func fitQuadratic(regions: [CalibrationRegion], equivalent: MineralEquivalent, input: String?,
                             notes: [String]) throws -> Calibration {
        let points = try regions.map { region -> QuadraticResponse.Point in
            let group = region.sizeGroup ?? 0
            guard group == 0 || region.backgroundHU != nil else {
                throw CalibrationError("\(region.name): a rod outside the reference size group needs its surroundings' HU")
            }
            // In the reference group (s = 1) the surroundings cancel out of the model.
            return .init(density: region.referenceDensity!, hu: region.statistics.mean,
                         backgroundHU: region.backgroundHU ?? 0, group: group)
        }
        let response = try QuadraticResponse(fitting: points)
        var out = regions
        for index in out.indices {
            let p = points[index]
            out[index].residualHU = response.residuals[index]
            out[index].fittedDensity = response.density(hu: p.hu, backgroundHU: p.backgroundHU, group: p.group)
            var others = points; others.remove(at: index)
            // Never measure a rod with a fit that includes it; a rod alone in its size group has no scale without it.
            guard others.contains(where: { $0.group == p.group }), let loo = try? QuadraticResponse(fitting: others) else { continue }
            let density = loo.density(hu: p.hu, backgroundHU: p.backgroundHU, group: p.group)
            out[index].leaveOneOutDensity = density
            out[index].leaveOneOutError = density - p.density
        }
        // The reference group's straight line, kept for comparison and for readers of `line`.
        let reference = points.filter { $0.group == 0 }.map { (x: $0.density, y: $0.hu) }
        let line = try LinearFit(reference)
        var calibration = Calibration(method: .phantomQuadratic, equivalent: equivalent, line: line, regions: out,
                                      provenance: .init(input: input, notes: notes + quadraticNotes(response, points: points)))
        calibration.response = response
        return calibration
    }

    /// What a reader of the quadratic calibration must know: the model, the scales, where the curve turns and
    /// that it is extrapolated outside the rods' densities.
    static func quadraticNotes(_ r: QuadraticResponse, points: [QuadraticResponse.Point]) -> [String] {
        var notes = [String(format: "quadratic response HU = %.3f + %.5f·ρ + %.4e·ρ² (reference size group), fitted over %d rods in %d size group%@ with partial-volume scales %@ (HU = bg + s·(f(ρ) − bg), bg = the rod's surroundings)",
                            r.a, r.b, r.c, points.count, r.groupScales.count, r.groupScales.count > 1 ? "s" : "",
                            r.groupScales.map { String(format: "%.4f", $0) }.joined(separator: ", ")),
                     String(format: "the curve is measured over %g–%g mg/cm³; outside that range it is extrapolated (a straight line is too, with a different error)",
                            r.fittedDensityRange.lowerBound, r.fittedDensityRange.upperBound)]
        if let turn = r.turningDensity {
            notes.append(String(format: "the curve turns at ρ = %.0f mg/cm³ (HU %.0f): HU beyond that read ρ = %.0f", turn, r.value(at: turn), turn))
        }
        return notes + linearityNotes(points.filter { $0.group == 0 }.map { (x: $0.density, y: $0.hu) })
    }
}
