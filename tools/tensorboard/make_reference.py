"""Writes nn4j-core/src/test/resources/tensorboard/reference.tfevents with TensorBoard's own protobuf classes and
record writer, so TensorBoardWriterTest can check that nn4j's writer produces the very same bytes.

Needs the `tensorboard` Python package (pip install tensorboard); run from the repository root:
    python tools/tensorboard/make_reference.py
The scalars (tag, value, step) below must stay in step with TensorBoardWriterTest.REFERENCE_SCALARS.
"""
import pathlib

from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.record_writer import RecordWriter

WALL_TIME = 1700000000.25  # exactly representable, the same for every event (the Java test uses a fixed clock)
SCALARS = [
    ("train/loss", 2.302585, 0),
    ("train/loss", 0.4375, 1),
    ("val/accuracy", 0.9125, 1),
    ("val/λ", float("nan"), 2),
    ("lr", 1e-3, 1 << 40),
    ("neg", -1.5, -1),
]

out = pathlib.Path(__file__).resolve().parents[2] / "nn4j-core/src/test/resources/tensorboard/reference.tfevents"
out.parent.mkdir(parents=True, exist_ok=True)
with open(out, "wb") as f:
    writer = RecordWriter(f)
    writer.write(event_pb2.Event(wall_time=WALL_TIME, file_version="brain.Event:2").SerializeToString())
    for tag, value, step in SCALARS:
        summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=tag, simple_value=value)])
        writer.write(event_pb2.Event(wall_time=WALL_TIME, step=step, summary=summary).SerializeToString())
print(f"wrote {out} ({out.stat().st_size} bytes)")
