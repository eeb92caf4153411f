// The one way instances enter the service, whether a sender pushed them (STOW-RS) or the service
// pulled them from the PACS (QIDO-RS/WADO-RS): stored, recorded, matched to an order by StudyStore.
import DICOMweb
import Foundation

extension ServiceEnvironment {
    /// Stores instances that module DICOMweb's STOW-RS validation accepted; returns the ones that
    /// could not be stored (SOP Instance UID → reason), which the caller reports per instance.
    func receive(_ instances: [ReceivedInstance]) async -> [String: (StoreFailureReason, String)] {
        var failures: [String: (StoreFailureReason, String)] = [:]
        for instance in instances {
            do {
                _ = try await studies.receive(instance)
                metrics.increment("instances_received")
            } catch {
                // The type only: the message may quote stored values (no patient data in logs or answers).
                failures[instance.sopInstanceUID] = (.processingFailure, "\(type(of: error))")
            }
        }
        return failures
    }
}
