// The eligibility rules of methods.md §2 applied per site: one function, accept/refuse with reasons.
import Anatomy
import DICOM
import Foundation
import OpenBCTCore

/// Decides per site whether a scan may be analysed (methods.md §2). An ineligible site gets reasons,
/// never a number; a rule that cannot be checked (bare volume without a DICOM header) is a finding.
public enum Eligibility {
    /// Evaluates `sites` from the acquisition facts, the anatomy found, the contrast finding and the
    /// image facts (metal, field of view).
    /// - Parameters:
    ///   - acquisition: the DICOM series' facts; nil for NIfTI/MetaImage input (those rules become "not verifiable").
    ///   - grid: the CT grid (its slice spacing is quoted when the thickness is unknown; head/trochanter coverage).
    ///   - imageFacts: `SiteImageFacts.measure` per site.
    public static func evaluate(sites: [Site] = Site.allCases, acquisition: AcquisitionFacts?, grid: ImageGrid,
                                anatomy: SegmentationResult, contrast: ContrastFinding, imageFacts: [SiteImageFacts],
                                criteria: EligibilityCriteria = .virtuOst) -> EligibilityReport {
        let decisions = sites.map { site in
            SiteEligibility(site: site, outcomes: [
                kvp(acquisition, criteria),
                kernel(acquisition, criteria),
                sliceThickness(site, acquisition, grid, criteria),
                contrastRule(site, contrast, criteria),
                coverage(site, anatomy, grid, criteria),
                metal(site, imageFacts.first { $0.site == site }, criteria),
                fieldOfView(site, anatomy, imageFacts.first { $0.site == site }, criteria),
            ])
        }
        return EligibilityReport(sites: decisions, contrast: contrast, acquisitionFromDICOM: acquisition != nil, criteria: criteria)
    }

    /// Convenience: measures contrast and image facts on the volume, then evaluates.
    public static func evaluate(sites: [Site] = Site.allCases, hu: Volume<Float>, labels: Volume<UInt8>, anatomy: SegmentationResult,
                                acquisition: AcquisitionFacts?, totalSegmentatorLabels: Volume<Int32>? = nil,
                                criteria: EligibilityCriteria = .virtuOst) -> EligibilityReport {
        let contrast = ContrastDetector().assess(hu: hu, headerAgent: acquisition?.contrastBolusAgent,
                                                 totalSegmentatorLabels: totalSegmentatorLabels, labels: labels, anatomy: anatomy)
        let facts = sites.map { SiteImageFacts.measure(site: $0, hu: hu, labels: labels, anatomy: anatomy, criteria: criteria) }
        return evaluate(sites: sites, acquisition: acquisition, grid: hu.grid, anatomy: anatomy, contrast: contrast,
                        imageFacts: facts, criteria: criteria)
    }

    static let noHeader = "not recorded (input is not DICOM)"

    static func kvp(_ a: AcquisitionFacts?, _ c: EligibilityCriteria) -> RuleOutcome {
        let requirement = String(format: "%.0f–%.0f kVp", c.kvpRange.lowerBound, c.kvpRange.upperBound)
        guard let kv = a?.kvp else {
            return RuleOutcome(.kvp, .notVerifiable, value: a == nil ? noHeader : "KVP (0018,0060) absent", requirement: requirement, source: c.source)
        }
        return RuleOutcome(.kvp, c.kvpRange.contains(kv) ? .pass : .fail, value: String(format: "%g kVp", kv), requirement: requirement, source: c.source)
    }

    static func kernel(_ a: AcquisitionFacts?, _ c: EligibilityCriteria) -> RuleOutcome {
        let requirement = "a soft or standard reconstruction kernel (not sharp/bone)"
        guard let name = a?.convolutionKernel, !name.isEmpty else {
            return RuleOutcome(.kernel, .notVerifiable, value: a == nil ? noHeader : "ConvolutionKernel (0018,1210) absent",
                               requirement: requirement, source: c.source)
        }
        let kind = KernelClass(kernel: name)
        let status: RuleStatus = switch kind { case .softOrStandard: .pass; case .sharp: .fail; case .unrecognised: .notVerifiable }
        return RuleOutcome(.kernel, status, value: "kernel \(name) (\(kind.rawValue))", requirement: requirement, source: c.source)
    }

    static func sliceThickness(_ site: Site, _ a: AcquisitionFacts?, _ grid: ImageGrid, _ c: EligibilityCriteria) -> RuleOutcome {
        let limit = site == .hip ? c.maxSliceThicknessHip : c.maxSliceThicknessSpine
        let requirement = String(format: "slice thickness ≤ %g mm", limit)
        guard let t = a?.sliceThickness else {
            let spacing = String(format: "thickness unknown; slice spacing %.2f mm", grid.spacing.z)
            return RuleOutcome(.sliceThickness, .notVerifiable, value: a == nil ? "\(spacing) (input is not DICOM)" : "SliceThickness (0018,0050) absent; \(spacing)",
                               requirement: requirement, source: c.source)
        }
        return RuleOutcome(.sliceThickness, t <= limit + 1e-6 ? .pass : .fail, value: String(format: "%g mm", t), requirement: requirement, source: c.source)
    }

    static func contrastRule(_ site: Site, _ contrast: ContrastFinding, _ c: EligibilityCriteria) -> RuleOutcome {
        let requirement = site == .spine ? "no IV contrast" : "IV contrast allowed (flagged)"
        let source = c.source + "; " + contrast.rule
        let status: RuleStatus
        switch (site, contrast.status) {
        case (_, .absent): status = .pass
        case (.spine, .present): status = .fail
        case (.hip, .present): status = .flagged
        case (_, .indeterminate): status = site == .spine ? .notVerifiable : .flagged
        case (_, .unknown): status = .notVerifiable
        }
        return RuleOutcome(.contrast, status, value: contrast.summary, requirement: requirement, source: source)
    }

    static func coverage(_ site: Site, _ anatomy: SegmentationResult, _ grid: ImageGrid, _ c: EligibilityCriteria) -> RuleOutcome {
        switch site {
        case .spine:
            let range = VertebralLevel.T12...VertebralLevel.L3
            let whole = anatomy.vertebrae.filter { v in
                !v.cutByFieldOfView && (v.level.flatMap(VertebralLevel.init(name:)).map(range.contains) ?? false)
            }
            let value: String
            if !whole.isEmpty {
                value = whole.compactMap(\.level).joined(separator: ", ") + " whole"
            } else if anatomy.vertebrae.isEmpty {
                value = "no vertebra found"
            } else {
                let named = anatomy.vertebrae.compactMap(\.level)
                value = named.isEmpty ? "\(anatomy.vertebrae.count) vertebrae found but their levels are not named"
                    : "vertebrae \(named.joined(separator: ", ")) (none of T12–L3 whole)"
            }
            return RuleOutcome(.coverage, whole.isEmpty ? .fail : .pass, value: value,
                               requirement: "one whole vertebral body in T12–L3", source: c.source)
        case .hip:
            let zMax = grid.physicalBounds.max.z
            var covered: [String] = [], problems: [String] = []
            for f in anatomy.femurs {
                guard let l = f.landmarks else { problems.append("\(f.side.rawValue) femur: no landmarks"); continue }
                // LPS: +z is superior. The head's top must lie inside the scanned slab.
                if l.headCenter.z + l.headRadiusMM > zMax + 0.5 * grid.spacing.z {
                    problems.append("\(f.side.rawValue) femoral head top above the first slice"); continue
                }
                guard l.lesserTrochanterLevel != nil, f.distalCut != nil else {
                    problems.append("\(f.side.rawValue) femur: the scan does not reach below the lesser trochanter"); continue
                }
                covered.append(f.side.rawValue)
            }
            let value = covered.isEmpty ? (anatomy.femurs.isEmpty ? "no femur found" : problems.joined(separator: "; "))
                : "\(covered.joined(separator: " and ")) femur covered" + (problems.isEmpty ? "" : " (\(problems.joined(separator: "; ")))")
            return RuleOutcome(.coverage, covered.isEmpty ? .fail : .pass, value: value,
                               requirement: "top of the femoral head to below the lesser trochanter", source: c.source)
        }
    }

    static func metal(_ site: Site, _ facts: SiteImageFacts?, _ c: EligibilityCriteria) -> RuleOutcome {
        let requirement = String(format: "no metal (≥ %.0f HU, ≥ %d voxels) in the axial sections of the bone", c.metalHU, c.minMetalVoxelsPerSection)
        guard let facts else { return RuleOutcome(.metal, .notVerifiable, value: "image not inspected", requirement: requirement, source: c.source) }
        guard facts.boneSections > 0 else {
            return RuleOutcome(.metal, .notVerifiable, value: "no bone of this site in the labels", requirement: requirement, source: c.source)
        }
        if facts.metalSections.isEmpty {
            return RuleOutcome(.metal, .pass, value: "no metal in the \(facts.boneSections) sections of the bone", requirement: requirement, source: c.source)
        }
        return RuleOutcome(.metal, .fail, value: "\(facts.metalVoxels) metal voxels in \(facts.metalSections.count) of the \(facts.boneSections) sections of the bone (slices \(facts.metalSections.first!)–\(facts.metalSections.last!))",
                           requirement: requirement, source: c.source)
    }

    static func fieldOfView(_ site: Site, _ anatomy: SegmentationResult, _ facts: SiteImageFacts?, _ c: EligibilityCriteria) -> RuleOutcome {
        let requirement = "the bone inside the field of view"
        guard let facts else { return RuleOutcome(.fieldOfView, .notVerifiable, value: "image not inspected", requirement: requirement, source: c.source) }
        let all = SiteImageFacts.structures(of: site, anatomy: anatomy).map(\.0)
        if all.isEmpty {
            return RuleOutcome(.fieldOfView, .notVerifiable, value: "no bone of this site found", requirement: requirement, source: c.source)
        }
        let cut = Set(facts.cutInPlane)
        // The site stays usable when at least one structure is whole in-plane (the other femur, another level).
        let status: RuleStatus = cut.isEmpty ? .pass : (cut.count == all.count ? .fail : .flagged)
        let value = cut.isEmpty ? "\(all.joined(separator: ", ")) inside the image" : "\(facts.cutInPlane.joined(separator: ", ")) touch the image edge"
        return RuleOutcome(.fieldOfView, status, value: value, requirement: requirement, source: c.source)
    }
}
