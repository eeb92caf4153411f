// `openbct phantom`: generate the digital CT phantom with its ground truth.
import ArgumentParser
import Foundation
import OpenBCTCore
import Phantom

struct PhantomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phantom",
        abstract: "Generate a synthetic CT (DICOM series + NIfTI) of hips and lumbar spine with exact ground truth.",
        discussion: "Writes DIR/dicom/*.dcm, DIR/hu.nii.gz, DIR/density.nii.gz, DIR/labels.nii.gz and DIR/truth.json. "
            + "Label codes and the density→HU model: docs/phantom.md.")

    @Option(name: .shortAndLong, help: "Output folder.") var output: String
    @Option(help: "Random seed (noise, texture, bowel).") var seed: UInt64 = 1
    @Option(help: "Sites to cover: hip, spine or hip,spine.") var sites: String = "hip,spine"
    @Option(help: "Superior–inferior coverage 'zmin,zmax' in mm (head centres at z = 0), overriding --sites.") var zCoverage: String?
    @Option(help: "In-plane pixel size (mm); the field of view stays 409.6 mm.") var voxel: Double = 0.8
    @Option(help: "Slice thickness (mm).") var sliceThickness: Double = 1.25
    @Option(help: "Slice spacing (mm); default = thickness.") var sliceSpacing: Double?
    @Option(help: "Tube voltage (80–140 kVp).") var kvp: Double = 120
    @Option(help: "Noise standard deviation (HU).") var noise: Double = 12
    @Option(help: "Calibration rods: k2hpo4, ha or none.") var phantomRods: String = "k2hpo4"
    @Option(help: "Rod densities (mg/cm³ of the rod material), comma-separated.") var rodDensities: String = "0,50,100,150,200"
    @Flag(help: "Iodinated contrast in the vessels (arterial phase).") var contrast = false
    @Option(help: "Hip implant: left-hip, right-hip or none.") var metal: String = "none"
    @Option(help: "Leave out a femur: left, right or none.") var missingFemur: String = "none"
    @Option(help: "Age in years (trabecular density −0.75 %/year after 30).") var age: Double = 50
    @Option(help: "Patient sex written to DICOM: M, F or O.") var sex: String = "F"
    @Option(help: "Trabecular density as a fraction of young adult (overrides --age).") var boneDensityScale: Double?
    @Option(help: "Bone quality preset: osteoporotic, normal or strong (trabecular density and cortex; overrides --age and --bone-density-scale).") var bone: String?
    @Option(help: "Body size (0.7–1.4; subcutaneous fat grows with its square).") var bodySize: Double = 1
    @Option(help: "Femoral neck-shaft angle (degrees).") var neckShaftAngle: Double = 128
    @Option(help: "Femoral anteversion (degrees).") var anteversion: Double = 12
    @Flag(help: "Skip the DICOM series (NIfTI and truth only).") var noDicom = false
    @Flag(help: "Print the time each stage took.") var timings = false

    func run() throws {
        do {
            let options = try makeOptions()
            let start = Date()
            let phantom = try PhantomGenerator(options).generate()
            let generated = Date()
            let out = try PhantomWriter.write(phantom, to: URL(fileURLWithPath: output), dicom: !noDicom)
            let d = phantom.hu.dims
            print("phantom \(d.x)×\(d.y)×\(d.z) voxels → \(output) (\(out.dicomFiles.count) DICOM slices, truth.json)")
            if timings {
                let stages = phantom.stageSeconds.map { String(format: "%@ %.2f s", $0.stage, $0.seconds) }.joined(separator: ", ")
                print(String(format: "timings: generate %.2f s (%@), write %.2f s", generated.timeIntervalSince(start), stages,
                             Date().timeIntervalSince(generated)))
            }
        } catch let error as InputError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode.failure
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func makeOptions() throws -> PhantomOptions {
        var o = PhantomOptions()
        o.seed = seed
        o.sites = try sites.split(separator: ",").map { name in
            guard let s = PhantomOptions.Site(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw InputError(location: "--sites", "unknown site '\(name)'; use hip, spine")
            }
            return s
        }
        if let zCoverage {
            let values = zCoverage.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == 2 else { throw InputError(location: "--z-coverage", "expected 'zmin,zmax' in mm, got '\(zCoverage)'") }
            o.zCoverage = values
        }
        o.pixelSpacing = voxel; o.sliceThickness = sliceThickness; o.sliceSpacing = sliceSpacing
        o.kVp = kvp; o.noiseHU = noise; o.contrast = contrast; o.age = age; o.patientSex = sex.uppercased(); o.boneDensityScale = boneDensityScale
        if let bone {
            guard let q = PhantomOptions.BoneQuality(rawValue: bone) else { throw InputError(location: "--bone", "expected osteoporotic, normal or strong, got '\(bone)'") }
            o.boneQuality = q
        }
        o.bodySize = bodySize; o.neckShaftAngle = neckShaftAngle; o.anteversion = anteversion
        guard let rods = PhantomOptions.RodMaterial(rawValue: phantomRods.lowercased()) else {
            throw InputError(location: "--phantom-rods", "unknown rod material '\(phantomRods)'; use k2hpo4, ha or none")
        }
        o.rods = rods
        o.rodDensities = try rodDensities.split(separator: ",").map { text in
            guard let v = Double(text.trimmingCharacters(in: .whitespaces)) else {
                throw InputError(location: "--rod-densities", "'\(text)' is not a number")
            }
            return v
        }
        o.metal = try side(metal, option: "--metal", suffix: "-hip")
        o.missingFemur = try side(missingFemur, option: "--missing-femur", suffix: "")
        try o.validate()
        return o
    }

    private func side(_ text: String, option: String, suffix: String) throws -> PhantomOptions.Side? {
        switch text.lowercased() {
        case "none": return nil
        case "left" + suffix: return .left
        case "right" + suffix: return .right
        default: throw InputError(location: option, "unknown value '\(text)'; use left\(suffix), right\(suffix) or none")
        }
    }
}
