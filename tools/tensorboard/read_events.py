"""Reads TensorBoard event files and prints their scalars, to check files that nn4j wrote.

Without options it uses only the standard library: TFRecord framing (struct), CRC32C (bitwise, Castagnoli)
with TensorFlow's masking, and hand decoding of the protobuf wire format; a bad CRC or truncated record stops
it with a non-zero exit. With --tensorboard it also loads the directory with TensorBoard's own
EventAccumulator (needs `pip install tensorboard`) and checks that both readers see the same scalars.

    python tools/tensorboard/read_events.py [--tensorboard] LOGDIR_OR_FILE
"""
import math
import pathlib
import struct
import sys


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(crc):
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def records(raw, name):
    at = 0
    while at < len(raw):
        if len(raw) - at < 12:
            sys.exit(f"{name}: truncated record header at byte {at}")
        (length,) = struct.unpack_from("<Q", raw, at)
        (length_crc,) = struct.unpack_from("<I", raw, at + 8)
        if length_crc != masked(crc32c(raw[at:at + 8])):
            sys.exit(f"{name}: bad length CRC at byte {at}")
        data = raw[at + 12:at + 12 + length]
        if len(data) != length or len(raw) < at + 16 + length:
            sys.exit(f"{name}: truncated record data at byte {at}")
        (data_crc,) = struct.unpack_from("<I", raw, at + 12 + length)
        if data_crc != masked(crc32c(data)):
            sys.exit(f"{name}: bad data CRC at byte {at}")
        yield data
        at += 16 + length


def varint(buf, at):
    value, shift = 0, 0
    while True:
        byte = buf[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def fields(buf):
    """Protobuf wire format → {field number: [values]}; 64-bit and 32-bit fields stay raw bytes."""
    out, at = {}, 0
    while at < len(buf):
        key, at = varint(buf, at)
        wire = key & 7
        if wire == 0:
            value, at = varint(buf, at)
        elif wire == 1:
            value, at = buf[at:at + 8], at + 8
        elif wire == 2:
            n, at = varint(buf, at)
            value, at = buf[at:at + n], at + n
        elif wire == 5:
            value, at = buf[at:at + 4], at + 4
        else:
            raise ValueError(f"wire type {wire}")
        out.setdefault(key >> 3, []).append(value)
    return out


def scalars(path):
    """[(tag, step, value)] of one event file, after checking its header record."""
    found = []
    for i, data in enumerate(records(path.read_bytes(), path)):
        event = fields(data)
        if i == 0:
            version = event.get(3, [b""])[0].decode()
            if version != "brain.Event:2":
                sys.exit(f"{path}: first record has file_version {version!r}, expected 'brain.Event:2'")
            continue
        step = event.get(2, [0])[0]
        step = step - (1 << 64) if step >= 1 << 63 else step
        for summary in event.get(5, []):
            for value in fields(summary).get(1, []):
                v = fields(value)
                found.append((v[1][0].decode(), step, struct.unpack("<f", v[2][0])[0]))
    return found


def main(args):
    use_tensorboard = "--tensorboard" in args
    target = pathlib.Path([a for a in args if a != "--tensorboard"][0])
    files = sorted(target.glob("*tfevents*")) if target.is_dir() else [target]
    ours = []
    for f in files:
        for tag, step, value in scalars(f):
            print(f"{f.name}  {tag:<20} step {step:<6} {value:.6g}")
            ours.append((tag, step, value))
    print(f"plain reader: {len(ours)} scalars, all CRCs good")
    if use_tensorboard:
        from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
        acc = EventAccumulator(str(target if target.is_dir() else target.parent)).Reload()
        theirs = [(tag, e.step, e.value) for tag in acc.Tags()["scalars"] for e in acc.Scalars(tag)]
        key = lambda s: (s[0], s[1])
        same = len(theirs) == len(ours) and all(
            a[:2] == b[:2] and (a[2] == b[2] or (math.isnan(a[2]) and math.isnan(b[2])))
            for a, b in zip(sorted(ours, key=key), sorted(theirs, key=key)))
        print(f"tensorboard EventAccumulator: {len(theirs)} scalars, tags {sorted(acc.Tags()['scalars'])}, "
              f"{'same as the plain reader' if same else 'DIFFERENT from the plain reader'}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1:])
