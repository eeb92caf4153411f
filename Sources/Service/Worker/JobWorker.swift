// A worker: claims jobs from the queue, runs each analysis as a child process, keeps its lease alive,
// and stores the result. Runs inside `openbct serve` or as its own `openbct worker` process.
import Foundation
import Logging

/// One worker loop. Several may run in one process and in many processes at once.
public struct JobWorker: Sendable {
    public let name: String
    let queue: JobQueue
    let studies: StudyStore
    let dataDirectory: URL
    let executable: String
    let extraArguments: [String]
    let heartbeat: Duration
    let poll: Duration
    let logger: Logger

    public init(name: String, db: any SQLDatabase, configuration: ServiceConfiguration, executable: String) {
        self.name = name
        queue = JobQueue(db: db, leaseSeconds: configuration.jobs.leaseSeconds, maxAttempts: configuration.jobs.maxAttempts)
        studies = StudyStore(db: db, dataDirectory: URL(fileURLWithPath: configuration.dataDirectory))
        dataDirectory = URL(fileURLWithPath: configuration.dataDirectory)
        self.executable = configuration.jobs.analysisExecutable ?? executable
        extraArguments = configuration.jobs.analysisArguments
        heartbeat = .seconds(configuration.jobs.heartbeatSeconds)
        poll = .milliseconds(configuration.jobs.pollMilliseconds)
        logger = Logger(label: "openbct.worker.\(name)")
    }

    /// Claims and runs jobs until the task is cancelled (graceful shutdown: the job in hand is
    /// stopped and its lease left to expire, so another worker re-runs it).
    public func run() async {
        logger.info("worker started")
        while !Task.isCancelled {
            do {
                if let job = try await queue.claim(worker: name) {
                    try await process(job)
                    continue
                }
            } catch is CancellationError {
                break
            } catch {
                // Log the kind of failure only: messages may quote stored values.
                logger.error("worker loop error: \(type(of: error))")
            }
            try? await Task.sleep(for: poll)
        }
        logger.info("worker stopped")
    }

    /// Runs one claimed job to its end.
    func process(_ job: ClaimedJob) async throws {
        logger.info("job \(job.id) attempt \(job.attempt) claimed")
        guard let studyFolder = try await studies.folder(studyID: job.studyID) else {
            try await queue.fail(jobID: job.id, worker: name, error: "study \(job.studyID) has no stored folder")
            return
        }
        let folder = dataDirectory.appendingPathComponent("jobs/\(job.id)/attempt-\(job.attempt)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let child = AnalysisProcess(executable: executable,
                                    arguments: ["analyze", studyFolder.path, "-o", folder.path, "--json"] + extraArguments
                                        + Overrides.arguments(job.overrides))
        let status: Int32? = try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask { try await child.run() }
            group.addTask {
                // Heartbeat until the child ends; nil ⇒ the lease was lost.
                while true {
                    try await Task.sleep(for: heartbeat)
                    if try await !queue.heartbeat(jobID: job.id, worker: name, progress: child.progress) { return nil }
                }
            }
            defer { group.cancelAll() }
            do {
                let first = try await group.next() ?? nil
                if first == nil { child.terminate() }
                return first
            } catch {
                child.terminate()
                throw error
            }
        }
        guard let status else {
            logger.warning("job \(job.id): lease lost, abandoned")
            return
        }
        guard status == 0 else {
            logger.warning("job \(job.id): analysis exited \(status)")
            try await queue.fail(jobID: job.id, worker: name, error: "analysis exited with status \(status): \(child.errorTail)")
            return
        }
        let resultURL = folder.appendingPathComponent("result.json")
        guard let data = try? Data(contentsOf: resultURL), let document = String(data: data, encoding: .utf8) else {
            try await queue.fail(jobID: job.id, worker: name, error: "the analysis wrote no readable result.json")
            return
        }
        try await queue.complete(jobID: job.id, worker: name, document: document, folder: folder.path)
        logger.info("job \(job.id) done")
    }
}
