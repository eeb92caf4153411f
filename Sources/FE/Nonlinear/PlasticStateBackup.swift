// The committed plastic state behind the Newton iterates' evaluations. Every internal-force evaluation of an
// increment writes its plastic return into `PlasticState` (as a commit would), and is undone before the next one
// from this copy: so the evaluation at the converged iterate has already committed it, and the separate commit pass
// over every element (one internal-force pass per increment) is not needed. Only elements with a yielding point are
// written by an evaluation — the ones it lists in the tangent's slabs — so only those are copied back or forward.
import OpenBCTCore

/// A copy of the committed plastic strains and yield bits that an evaluation's writes are undone from.
final class PlasticStateBackup {
    private let plastic: UnsafeMutablePointer<Float>
    private let yielded: UnsafeMutablePointer<UInt8>
    private let elementCount: Int

    /// A copy of `state` as it stands.
    init(_ state: PlasticState) {
        elementCount = state.elementCount
        let n = max(1, 48 * elementCount), m = max(1, elementCount)
        plastic = .allocate(capacity: n); plastic.initialize(from: state.plastic, count: n)
        yielded = .allocate(capacity: m); yielded.initialize(from: state.yielded, count: m)
    }
    deinit { plastic.deallocate(); yielded.deallocate() }

    /// Copies the listed elements back into `state` (undoes an evaluation that wrote them).
    func restore(_ state: PlasticState, elements slabs: [TangentStiffness.Slab]) {
        copy(from: plastic, yielded, to: state.plastic, state.yielded, slabs)
    }

    /// Takes the listed elements from `state` (after the evaluation that wrote them was accepted as equilibrium).
    func update(from state: PlasticState, elements slabs: [TangentStiffness.Slab]) {
        copy(from: state.plastic, state.yielded, to: plastic, yielded, slabs)
    }

    private func copy(from sourcePlastic: UnsafeMutablePointer<Float>, _ sourceYielded: UnsafeMutablePointer<UInt8>,
                      to plastic: UnsafeMutablePointer<Float>, _ yielded: UnsafeMutablePointer<UInt8>,
                      _ slabs: [TangentStiffness.Slab]) {
        for slab in slabs {
            for element in slab.elements {
                let e = Int(element)
                (plastic + 48 * e).update(from: sourcePlastic + 48 * e, count: 48)
                yielded[e] = sourceYielded[e]
            }
        }
    }
}
