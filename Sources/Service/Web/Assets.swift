// The pages' stylesheet and the slice viewer's script, served from /assets (same origin: the CSP
// allows nothing else).

enum Assets {
    static let css = """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1b1f24; }
        header { background: #17324d; color: #fff; padding: 8px 16px; display: flex; gap: 16px; align-items: center; }
        header a, header button { color: #fff; background: none; border: none; font: inherit; cursor: pointer; margin-right: 12px; }
        main { padding: 8px 16px; }
        .notice { background: #fff4ce; margin: 0; padding: 4px 16px; font-size: 0.9em; }
        table { border-collapse: collapse; width: 100%; }
        th, td { border-bottom: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
        .status-succeeded, .status-signed { color: #1a7f37; } .status-failed, .status-rejected { color: #cf222e; }
        .status-running, .status-queued, .status-draft { color: #9a6700; }
        form.inline { display: inline; }
        textarea { width: 100%; min-height: 8em; font: inherit; }
        .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
        .viewer img { max-width: 100%; image-rendering: pixelated; background: #000; }
        .error { color: #cf222e; } .qc { background: #fff8c5; padding: 4px 8px; }
        fieldset { margin-bottom: 8px; }
        """

    /// Slice viewer: a range input steps through the case's slice PNGs.
    static let viewerJS = """
        document.addEventListener('DOMContentLoaded', function () {
          document.querySelectorAll('.viewer').forEach(function (viewer) {
            var slices = JSON.parse(viewer.getAttribute('data-slices'));
            var img = viewer.querySelector('img'), range = viewer.querySelector('input'), label = viewer.querySelector('.slice-label');
            if (!slices.length) return;
            range.max = slices.length - 1;
            range.value = Math.floor(slices.length / 2);
            function show() { img.src = slices[range.value]; label.textContent = (Number(range.value) + 1) + ' / ' + slices.length; }
            range.addEventListener('input', show);
            show();
          });
        });
        """
}
