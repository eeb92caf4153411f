// The phantom's CT as a DICOM series: one CT Image Storage file per slice, explicit VR little endian,
// signed 16-bit HU (rescale slope 1, intercept 0), with every type 1 and 2 attribute of the CT Image IOD.
import Dispatch
import DICOM
import Foundation
import OpenBCTCore

enum PhantomDicomSeries {
    static let ctImageStorage = "1.2.840.10008.5.1.4.1.1.2"

    /// Writes one file per slice (`CT000001.dcm` …) into `directory`; returns their URLs in slice order.
    static func write(_ phantom: PhantomCase, to directory: URL) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let hu = phantom.hu, g = hu.grid, n = g.dims, plane = n.x * n.y
        let shared = sharedAttributes(phantom)
        let urls = (0..<n.z).map { directory.appendingPathComponent(String(format: "CT%06d.dcm", $0 + 1)) }
        let failures = ErrorCollector()
        hu.voxels.withUnsafeBufferPointer { buf in
            let pixels = SendableConstPointer(buf.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: n.z) { k in
                do {
                    var ds = shared
                    let position = g.physicalPoint(index: Vec3(0, 0, Double(k)))
                    ds.set(.instanceNumber, .IS, ints: [k + 1])
                    ds.set(.imagePositionPatient, .DS, doubles: [position.x, position.y, position.z])
                    ds.set(.sliceLocation, .DS, doubles: [position.z])
                    var bytes = [UInt8](repeating: 0, count: plane * 2)
                    bytes.withUnsafeMutableBytes { raw in
                        for t in 0..<plane { raw.storeBytes(of: pixels[k * plane + t].littleEndian, toByteOffset: 2 * t, as: Int16.self) }
                    }
                    ds.set(.pixelData, .OW, bytes: bytes)
                    let data = try DicomWriter.write(dataSet: ds, sopClassUID: ctImageStorage, sopInstanceUID: UID.generate())
                    try writeAtomically(data, to: urls[k])
                } catch { failures.record(error) }
            }
        }
        if let error = failures.first { throw error }
        return urls
    }

    /// The attributes every slice shares: patient, study, series, frame of reference, equipment,
    /// image plane (orientation, spacing), pixel description and CT acquisition facts.
    static func sharedAttributes(_ phantom: PhantomCase) -> DataSet {
        let o = phantom.truth.options, g = phantom.hu.grid
        let now = Date()
        let date = DateFormatter.dicom("yyyyMMdd").string(from: now), time = DateFormatter.dicom("HHmmss").string(from: now)
        var ds = DataSet()
        ds.set(.specificCharacterSet, .CS, string: "ISO_IR 192")
        ds.set(.imageType, .CS, strings: ["ORIGINAL", "PRIMARY", "AXIAL"])
        for tag in [Tag.studyDate, .seriesDate, .acquisitionDate, .contentDate] { ds.set(tag, .DA, string: date) }
        for tag in [Tag.studyTime, .seriesTime, .acquisitionTime, .contentTime] { ds.set(tag, .TM, string: time) }
        ds.set(.accessionNumber, .SH, string: "")
        ds.set(.modality, .CS, string: "CT")
        ds.set(.manufacturer, .LO, string: "OpenBCT digital phantom")
        ds.set(.manufacturerModelName, .LO, string: "OpenBCT phantom \(OpenBCT.version)")
        ds.set(.softwareVersions, .LO, string: OpenBCT.version)
        ds.set(.referringPhysicianName, .PN, string: "")
        ds.set(.studyDescription, .LO, string: "Synthetic CT hips and lumbar spine (OpenBCT phantom)")
        ds.set(.seriesDescription, .LO, string: "Phantom seed \(o.seed), \(Int(o.kVp)) kVp")
        ds.set(.patientName, .PN, string: "Phantom^OpenBCT")
        ds.set(.patientID, .LO, string: "OPENBCT-PHANTOM-\(o.seed)")
        ds.set(.patientBirthDate, .DA, string: "")
        ds.set(.patientSex, .CS, string: o.patientSex)
        ds.set(.patientAge, .AS, string: String(format: "%03dY", Int(o.age.rounded())))
        ds.set(.bodyPartExamined, .CS, string: o.sites.contains(.hip) ? "PELVIS" : "LSPINE")
        if o.contrast { ds.set(.contrastBolusAgent, .LO, string: "Iodinated contrast (simulated)") }
        ds.set(.sliceThickness, .DS, doubles: [o.sliceThickness])
        ds.set(.spacingBetweenSlices, .DS, doubles: [o.spacingBetweenSlices])
        ds.set(.kvp, .DS, doubles: [o.kVp])
        ds.set(.reconstructionDiameter, .DS, doubles: [Double(g.dims.x) * g.spacing.x])
        ds.set(.gantryDetectorTilt, .DS, doubles: [0])
        ds.set(.convolutionKernel, .SH, string: "STANDARD")
        ds.set(.patientPosition, .CS, string: "HFS")
        ds.set(.studyInstanceUID, .UI, string: UID.generate())
        ds.set(.seriesInstanceUID, .UI, string: UID.generate())
        ds.set(.studyID, .SH, string: "1")
        ds.set(.seriesNumber, .IS, ints: [1])
        ds.set(.acquisitionNumber, .IS, ints: [1])
        let r = g.direction.c0, c = g.direction.c1
        ds.set(.imageOrientationPatient, .DS, doubles: [r.x, r.y, r.z, c.x, c.y, c.z])
        ds.set(.frameOfReferenceUID, .UI, string: UID.generate())
        ds.set(.positionReferenceIndicator, .LO, string: "")
        ds.set(.samplesPerPixel, .US, ints: [1])
        ds.set(.photometricInterpretation, .CS, string: "MONOCHROME2")
        ds.set(.rows, .US, ints: [g.dims.y])
        ds.set(.columns, .US, ints: [g.dims.x])
        // PixelSpacing is row spacing (between rows, along j) then column spacing (along i).
        ds.set(.pixelSpacing, .DS, doubles: [g.spacing.y, g.spacing.x])
        ds.set(.bitsAllocated, .US, ints: [16])
        ds.set(.bitsStored, .US, ints: [16])
        ds.set(.highBit, .US, ints: [15])
        ds.set(.pixelRepresentation, .US, ints: [1])
        ds.set(.windowCenter, .DS, doubles: [40])
        ds.set(.windowWidth, .DS, doubles: [400])
        ds.set(.rescaleIntercept, .DS, doubles: [0])
        ds.set(.rescaleSlope, .DS, doubles: [1])
        ds.set(.rescaleType, .LO, string: "HU")
        ds.set(.burnedInAnnotation, .CS, string: "NO")
        ds.set(.lossyImageCompression, .CS, string: "00")
        return ds
    }
}

private extension DateFormatter {
    static func dicom(_ format: String) -> DateFormatter {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX"); f.timeZone = TimeZone(identifier: "UTC"); f.dateFormat = format
        return f
    }
}
