// Calibration stage: HU → K2HPO4-equivalent density, and the record with the fit's standard errors.
import Calibration
import DICOM
import Foundation
import OpenBCTCore
import ResultModel

enum CalibrationStage {
    /// The calibration chosen by `choice`. The internal method falls back to the two-point map when the
    /// effective-energy fit fails (the fallback is named in the calibration's notes).
    static func calibrate(_ hu: Volume<Float>, choice: CalibrationChoice, facts: AcquisitionFacts?, input: String) throws -> (Calibration, [QualityFinding]) {
        let kVp = facts?.kvp
        switch choice {
        case .internal:
            do {
                return (try InternalCalibration.calibrate(hu, method: .effectiveEnergy, kVp: kVp, input: input), [])
            } catch {
                let c = try InternalCalibration.calibrate(hu, method: .twoPoint, kVp: kVp, input: input)
                return (c, [QualityFinding(stage: "calibration", severity: .warning, code: "calibrationFallback",
                                           message: "effective-energy calibration failed (\(error)); two-point air/fat fallback used")])
            }
        case .qrmPhantom:
            return (try PhantomCalibration.calibrate(hu, phantom: .qrmCardiacCalcification, input: input), [])
        case .phantomFile(let path):
            let definition = try PhantomDefinition.read(contentsOf: URL(fileURLWithPath: path))
            return (try PhantomCalibration.calibrate(hu, phantom: definition, input: input), [])
        case .saved(let path):
            let line = try AsynchronousCalibration.read(contentsOf: URL(fileURLWithPath: path))
            let source = line.provenance.measuredOn ?? ScanReference(path: line.provenance.input ?? path)
            return (try AsynchronousCalibration.transfer(line, from: source, to: ScanReference(path: input, facts: facts)), [])
        }
    }

    /// The document's record: line, combined density map, and the standard errors of slope and intercept
    /// from the fit's residuals (s² = Σr²/(n−2); nil with two points). For internal methods the fit is
    /// measured HU against tabulated HU; its relative slope error carries over to the HU-per-mg line.
    static func record(_ c: Calibration) -> CalibrationRecord {
        let xs: [Double]
        var slopeScale = 1.0
        if c.tissueFit != nil {
            xs = c.regions.compactMap(\.referenceHU)
            slopeScale = c.line.slope / (c.tissueFit?.slope ?? c.line.slope)
        } else {
            xs = c.regions.compactMap(\.referenceDensity)
        }
        let residuals = c.tissueFit?.residuals ?? c.line.residuals
        var se: (a: Double, b: Double)?
        if xs.count == residuals.count, xs.count >= 3 {
            let n = Double(xs.count), mx = xs.reduce(0, +) / n
            let sxx = xs.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
            let s2 = residuals.map { $0 * $0 }.reduce(0, +) / (n - 2)
            if sxx > 0 { se = ((s2 * (1 / n + mx * mx / sxx)).squareRoot(), (s2 / sxx).squareRoot() * abs(slopeScale)) }
        }
        let a = c.density(hu: 0), b = c.density(hu: 1) - a
        return CalibrationRecord(
            method: c.method.rawValue, equivalent: c.equivalent.rawValue, intercept_HU: c.line.intercept, slope_HU_per_mgcm3: c.line.slope,
            rSquared: c.line.rSquared, interceptStandardError_HU: se?.a, slopeStandardError: se?.b, densityOffset_mgcm3: a, densityPerHU: b,
            effectiveEnergy_keV: c.effectiveEnergyKeV,
            regions: c.regions.map(regionRecord), checkRegions: c.checkRegions?.map(regionRecord), notes: c.provenance.notes)
    }

    private static func regionRecord(_ r: CalibrationRegion) -> CalibrationRegionRecord {
        CalibrationRegionRecord(name: r.name, medianHU: r.statistics.median, madHU: r.statistics.mad, voxels: r.statistics.count,
                                area_mm2: r.areaMM2, referenceDensity_mgcm3: r.referenceDensity, referenceHU: r.referenceHU,
                                residualHU: r.residualHU)
    }
}

extension ScanReference {
    /// The scan's identity for calibration provenance (DICOM identifiers and protocol when `facts` is known).
    public init(path: String, facts: AcquisitionFacts?) {
        self.init(path: path, studyInstanceUID: facts?.studyInstanceUID, seriesInstanceUID: facts?.seriesInstanceUID,
                  frameOfReferenceUID: facts?.frameOfReferenceUID, date: facts?.seriesDate ?? facts?.studyDate,
                  manufacturer: facts?.manufacturer, model: facts?.manufacturerModelName, kvp: facts?.kvp, kernel: facts?.convolutionKernel)
    }
}
