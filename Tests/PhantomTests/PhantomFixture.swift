// One small phantom (4 mm voxels) shared by the tests, generated once per test run.
import Foundation
import OpenBCTCore
import Phantom
import TestSupport

enum PhantomFixture {
    /// Options of the shared phantom: 4 mm voxels (CI runs debug builds), everything else at defaults.
    static var smallOptions: PhantomOptions {
        var o = PhantomOptions()
        o.pixelSpacing = 4
        o.sliceThickness = 4
        return o
    }

    static let small: Result<PhantomCase, Error> = Result { try PhantomGenerator(smallOptions).generate() }

    /// The shared phantom written to disk (NIfTI, truth and DICOM), once.
    static let written: Result<(PhantomCase, URL), Error> = Result {
        let phantom = try small.get()
        let dir = try TestPaths.temporaryDirectory("phantom-small")
        try PhantomWriter.write(phantom, to: dir)
        return (phantom, dir)
    }
}
