import DICOM
import Foundation
import OpenBCTCore
import Testing
import TestSupport
@testable import DICOMweb

@Suite("DICOM JSON and XML models")
struct DicomJSONTests {
    @Test("pydicom reads our DICOM JSON of real CT headers as it reads the files",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func pydicomReadsOurJSON() throws {
        let dir = try TestPaths.temporaryDirectory("dicom-json")
        defer { try? FileManager.default.removeItem(at: dir) }
        for url in [try Fixtures.qrmSeries()[0], TestPaths.shared("dicom/pydicom/CT_small.dcm"), Fixtures.mrInstance] {
            let ds = try DicomFile.read(contentsOf: url).dataSet
            let jsonURL = dir.appendingPathComponent(url.lastPathComponent + ".json")
            try DicomJSON.encode(ds).write(to: jsonURL)
            let out = try ExternalTool.python("dicom_json_reference.py", ["compare", url.path, jsonURL.path])
            #expect(out.hasPrefix("ok"), "\(url.lastPathComponent): \(out)")
        }
    }

    @Test("our decoder reads pydicom's DICOM JSON into the values our parser reads from the file",
          .enabled(if: TestPaths.hasSharedData, "needs ../shared/data"))
    func weReadPydicomJSON() throws {
        let url = try Fixtures.qrmSeries()[0]
        let json = try ExternalTool.python("dicom_json_reference.py", ["to-json", url.path])
        let decoded = try DicomJSON.decodeObject(Data(json.utf8)).dataSet
        let original = try DicomFile.read(contentsOf: url, stopBeforePixelData: true).dataSet
        var compared = 0
        for e in original.elements where !e.tag.isPrivate && !e.tag.isGroupLength && !DicomJSON.isBulk(e.vr) && e.vr != .SQ {
            if e.vr == .DS {
                #expect(decoded.doubles(e.tag) == original.doubles(e.tag), "\(e.tag.label)")
            } else {
                #expect(decoded.strings(e.tag) == original.strings(e.tag), "\(e.tag.label)")
            }
            compared += 1
        }
        #expect(compared > 50)
    }

    @Test("sequences, person names, AT, binary numbers and inline binary survive encode → decode")
    func roundTrip() throws {
        var item = DataSet()
        item.set(.referencedSOPClassUID, .UI, string: "1.2.840.10008.5.1.4.1.1.2")
        var ds = DataSet(characterSet: .utf8)
        ds.set(.patientName, .PN, string: "Müller^Anna")
        ds.set(.rows, .US, ints: [512])
        ds.set(.rescaleSlope, .DS, doubles: [1.5])
        ds.set(.revolutionTime, .FD, doubles: [0.275])
        ds.set(Tag(0x0020, 0x9165), .AT, bytes: [0x28, 0x00, 0x10, 0x00])
        ds.set(.referencedSOPSequence, sequence: [item])
        ds.set(Tag(0x0029, 0x1010), .OB, bytes: [1, 2, 3, 4])
        let back = try DicomJSON.decodeObject(try DicomJSON.encode(ds)).dataSet
        #expect(back.string(.patientName) == "Müller^Anna")
        #expect(back.int(.rows) == 512)
        #expect(back.double(.rescaleSlope) == 1.5)
        #expect(back.double(.revolutionTime) == 0.275)
        #expect(back[Tag(0x0020, 0x9165)]?.bytes == [0x28, 0x00, 0x10, 0x00])
        #expect(back.sequence(.referencedSOPSequence)?.first?.string(.referencedSOPClassUID) == "1.2.840.10008.5.1.4.1.1.2")
        #expect(back[Tag(0x0029, 0x1010)]?.bytes == [1, 2, 3, 4])
    }

    @Test("a STOW response in the Native DICOM Model (XML) reads like its JSON form")
    func nativeModel() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <NativeDicomModel xml:space="preserve">
          <DicomAttribute tag="00081190" vr="UR" keyword="RetrieveURL"><Value number="1">http://pacs/studies/1.2.3</Value></DicomAttribute>
          <DicomAttribute tag="00081198" vr="SQ" keyword="FailedSOPSequence">
            <Item number="1">
              <DicomAttribute tag="00081150" vr="UI"><Value number="1">1.2.840.10008.5.1.4.1.1.4</Value></DicomAttribute>
              <DicomAttribute tag="00081155" vr="UI"><Value number="1">1.2.3.4.5</Value></DicomAttribute>
              <DicomAttribute tag="00081197" vr="US"><Value number="1">290</Value></DicomAttribute>
            </Item>
          </DicomAttribute>
          <DicomAttribute tag="00100010" vr="PN"><PersonName number="1"><Alphabetic><FamilyName>Doe</FamilyName><GivenName>Jane</GivenName></Alphabetic></PersonName></DicomAttribute>
        </NativeDicomModel>
        """
        let ds = try NativeDicomModel.decode(Data(xml.utf8))
        let response = StowResponse(dataSet: ds)
        #expect(response.retrieveURL == "http://pacs/studies/1.2.3")
        #expect(response.failed == [StowInstanceStatus(sopClassUID: "1.2.840.10008.5.1.4.1.1.4", sopInstanceUID: "1.2.3.4.5", failureReason: 0x0122)])
        #expect(ds.string(.patientName) == "Doe^Jane")
    }

    @Test("malformed DICOM JSON is refused with the attribute named")
    func malformed() {
        #expect { try DicomJSON.decodeArray(Data("[{\"0010001\": {\"vr\": \"PN\"}}]".utf8)) } throws: { error in
            (error as? InputError)?.location == "item 0 0010001"
        }
        #expect { try DicomJSON.decodeArray(Data("{}".utf8)) } throws: { error in
            (error as? InputError)?.message.contains("array") == true
        }
    }
}
