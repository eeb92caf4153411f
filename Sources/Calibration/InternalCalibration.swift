// Phantomless calibration from the patient's own tissues, expressed K2HPO4-in-water equivalent.
import OpenBCTCore

/// Internal (phantomless) calibration.
///
/// Measured tissue HU are related to the tissues' tabulated HU at an effective energy E by a line
/// HU_measured = a + b·HU_table(E). Bone is modelled as water-equivalent marrow plus K2HPO4 (the
/// definition of K2HPO4-equivalent density), which adds k(E) = `XRayAttenuation.hounsfieldPerMilligram`
/// HU per mg/cm³, so HU = a + b·k(E)·ρ_K.
public enum InternalCalibration {
    /// Which internal method to use.
    public enum Method: String, Codable, Sendable, CaseIterable {
        /// E chosen where the tissues' HU are most linear in their tabulated HU (Michalski et al. 2020's
        /// energy selection; the water/K2HPO4 bone model replaces their triglyceride two-component step).
        case effectiveEnergy
        /// Fallback: air and subcutaneous fat (or aortic blood) at E = 10 + kVp/2.
        case twoPoint
    }

    /// Energies searched by the effective-energy method (keV).
    static let searchEnergies = stride(from: 40.0, through: 120.0, by: 0.5).map { $0 }

    /// Calibrates from automatically found tissue regions (labels: an optional TotalSegmentator map).
    public static func calibrate(_ hu: Volume<Float>, labels: Volume<Int32>? = nil, method: Method,
                                 kVp: Double?, input: String? = nil,
                                 finder: TissueRegionFinder = TissueRegionFinder()) throws -> Calibration {
        let (found, findNotes) = finder.find(in: hu, labels: labels)
        return try calibrate(regions: found, method: method, kVp: kVp, input: input, notes: findNotes)
    }

    /// Calibrates from measured tissue regions.
    public static func calibrate(regions found: [(ReferenceTissue, CalibrationRegion)], method: Method, kVp: Double?,
                                 input: String? = nil, notes findNotes: [String] = []) throws -> Calibration {
        var notes = findNotes
        let checks = found.filter { !$0.0.isFitted }
        let found = found.filter(\.0.isFitted)
        let nominalEnergy = XRayAttenuation.effectiveEnergy(kVp: kVp ?? 120)
        var used = found
        var energy = nominalEnergy
        var calibrationMethod = Calibration.Method.internalEffectiveEnergy
        if method == .effectiveEnergy, found.count >= 3 {
            energy = searchEnergies.max { r2(found, $0) < r2(found, $1) } ?? nominalEnergy
        } else {
            if method == .effectiveEnergy { notes.append("fewer than 3 tissues found: two-point fallback used") }
            calibrationMethod = .internalTwoPoint
            guard let air = found.first(where: { $0.0 == .air }),
                  let partner = found.first(where: { $0.0 == .subcutaneousFat }) ?? found.first(where: { $0.0 == .aorticBlood }) else {
                throw CalibrationError("two-point calibration needs air and fat or blood regions; found \(found.map(\.0.rawValue))")
            }
            used = [air, partner]
            if kVp == nil { notes.append("kVp unknown: nominal effective energy of 120 kVp assumed") }
            notes.append("two-point linear air/\(partner.0.rawValue) map (a fallback, not the effective-energy method)")
        }
        let fit = try LinearFit(used.map { (x: XRayAttenuation.hounsfield($0.0.material, keV: energy), y: $0.1.statistics.median) })
        let perMilligram = XRayAttenuation.hounsfieldPerMilligram(XRayAttenuation.k2hpo4, keV: energy)
        var line = fit
        line.slope = fit.slope * perMilligram
        line.residuals = fit.residuals
        var regions: [CalibrationRegion] = []
        for (index, entry) in used.enumerated() {
            var region = entry.1
            region.referenceHU = XRayAttenuation.hounsfield(entry.0.material, keV: energy)
            region.residualHU = fit.residuals[index]
            regions.append(region)
        }
        // Reported tissues: their residual against the fitted tissue line, not part of it.
        let checkRegions = checks.map { entry -> CalibrationRegion in
            var region = entry.1
            region.referenceHU = XRayAttenuation.hounsfield(entry.0.material, keV: energy)
            region.residualHU = region.statistics.median - fit.value(at: region.referenceHU!)
            return region
        }
        var calibration = Calibration(method: calibrationMethod, equivalent: .k2hpo4, line: line, regions: regions, tissueFit: fit,
                                      effectiveEnergyKeV: energy, provenance: .init(input: input, notes: notes))
        calibration.checkRegions = checkRegions.isEmpty ? nil : checkRegions
        return calibration
    }

    /// r² of measured against tabulated HU at `keV` (−∞ when undefined).
    static func r2(_ found: [(ReferenceTissue, CalibrationRegion)], _ keV: Double) -> Double {
        let points = found.map { (x: XRayAttenuation.hounsfield($0.0.material, keV: keV), y: $0.1.statistics.median) }
        return (try? LinearFit(points))?.rSquared ?? -.infinity
    }
}
