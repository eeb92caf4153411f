// The de-identified research export (admin): POST the study ids, get the export folder and manifest.
import Foundation
import Hummingbird
import OpenBCTCore

extension ServiceEnvironment {
    func addExportRoutes(to router: Router<ServiceRequestContext>) {
        // Form field `studies=3,5,8`: database ids of received studies.
        router.post("/admin/research-export") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            let text = form["studies"] ?? ""
            try await access.require(.researchExport, action: "de-identified research export", resource: "studies \(text)",
                                     request: request, context: context, csrfToken: form["csrf"])
            let ids = text.split(whereSeparator: { $0 == "," || $0 == " " }).map { Int64($0) }
            guard !ids.isEmpty, ids.allSatisfy({ $0 != nil }) else {
                throw HTTPError(.badRequest, message: "studies: expected study ids separated by commas")
            }
            do {
                let (folder, manifest) = try await ResearchExport(db: db, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory))
                    .export(studyIDs: ids.compactMap { $0 })
                return try Responses.json(ExportAnswer(folder: folder.path, manifest: manifest), status: .created)
            } catch let error as InputError {
                throw HTTPError(.badRequest, message: error.description)
            }
        }
    }
}

/// The answer to an export request: where the folder is on the server, and what it holds.
private struct ExportAnswer: Encodable {
    var folder: String
    var manifest: ResearchExport.Manifest
}
