// The de-identified research export (admin): POST the study ids, get the export folder and manifest;
// GET the export as a ZIP archive streamed from the server's folder.
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
                return try Responses.json(ExportAnswer(folder: folder.path, download: "/admin/research-export/\(folder.lastPathComponent).zip",
                                                       manifest: manifest), status: .created)
            } catch let error as InputError {
                throw HTTPError(.badRequest, message: error.description)
            }
        }
        // `<name>.zip`: the finished export `<name>` as one archive (entries `<name>/…`), streamed
        // file by file as it is read; audited like the export itself.
        router.get("/admin/research-export/:archive") { request, context -> Response in
            let archive = try context.parameters.require("archive")
            try await access.require(.researchExport, action: "download research export", resource: "export \(archive)",
                                     request: request, context: context)
            let export = ResearchExport(db: db, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory))
            guard archive.hasSuffix(".zip"), let folder = export.finishedExport(named: String(archive.dropLast(4))) else {
                throw HTTPError(.notFound, message: "no finished research export of that name")
            }
            let name = folder.lastPathComponent
            let files = ResearchExport.files(of: folder)
            return Response(status: .ok,
                            headers: [.contentType: "application/zip", .contentDisposition: "attachment; filename=\"\(archive)\"",
                                      .cacheControl: "no-store"],
                            body: ResponseBody { writer in
                                // A read failure ends the stream before the central directory: the client
                                // is left with an archive no unzip accepts, never a silently short one.
                                var zip = ZipStreamWriter()
                                for (path, file) in files {
                                    try await writer.write(ByteBuffer(bytes: zip.entry(name: "\(name)/\(path)", data: try Data(contentsOf: file))))
                                }
                                try await writer.write(ByteBuffer(bytes: zip.finish()))
                                try await writer.finish(nil)
                            })
        }
    }
}

/// The answer to an export request: where the folder is on the server, its download, and what it holds.
private struct ExportAnswer: Encodable {
    var folder: String
    var download: String
    var manifest: ResearchExport.Manifest
}
