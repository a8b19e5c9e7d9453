"""TensorBoard event files written by hand (the `tensorboard` package is not installed here).

Follows ../../shared/research/LOG_FORMATS.md section 4:

- TFRecord framing, little-endian: uint64 length, uint32 masked CRC-32C of the 8 length bytes, the data
  (one serialized `Event`), uint32 masked CRC-32C of the data.
- CRC-32C is the Castagnoli CRC (reflected polynomial 0x82F63B78, init and final xor 0xFFFFFFFF), masked
  as ((c >> 15) | (c << 17)) + 0xA282EAD8. Check value crc32c(b"123456789") = 0xE3069283.
- Protobuf fields (proto3, defaults omitted, fields in field-number order as the protobuf serializers
  emit them): Event {1 wall_time double, 2 step int64, 3 file_version, 5 summary, 10 source_metadata
  {1 writer}}, Summary {1 value: Value {1 tag, 2 simple_value float, 8 tensor, 9 metadata}},
  TensorProto {1 dtype (DT_FLOAT = 1), 2 tensor_shape (empty = scalar), 4 tensor_content},
  SummaryMetadata {1 plugin_data {1 plugin_name, 2 content}}.

Two writers, as the frameworks write scalars:

- `SummaryWriter`: PyTorch `torch.utils.tensorboard.SummaryWriter.add_scalar` (default new_style=False):
  `Summary.Value(tag, simple_value=float(x))`, no metadata. File name
  `events.out.tfevents.%010d.<host>.<pid>.<uid>` (tensorboard's EventFileWriter; uid is a per-process
  counter starting at 0).
- `TF2SummaryWriter`: `tf.summary.create_file_writer` + `tf.summary.scalar` as the Keras TensorBoard callback
  uses them: the C++ writer stores `tensor {dtype: DT_FLOAT, tensor_shape {}, tensor_content: <4 LE bytes>}`
  with metadata plugin `scalars` (its ScalarPluginData(version=0) content serializes to nothing). File name
  `events.out.tfevents.%010d.<host>.<pid>.<uid>.v2` (".<pid>.<uid>" is prepended to the ".v2" suffix by
  create_file_writer_v2).

The first record of every file is `Event{wall_time, file_version: "brain.Event:2", source_metadata}`;
the writer names are those of tensorboard's Python EventFileWriter and of TF's C++ EventsWriter.
"""
import os
import struct

# ---------------------------------------------------------------------------------------------------
# CRC-32C

_POLY = 0x82F63B78


def _table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        t.append(c)
    return t


_TABLE = _table()


def crc32c(data):
    c = 0xFFFFFFFF
    for b in data:
        c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked_crc32c(data):
    c = crc32c(data)
    return (((c >> 15) | (c << 17)) + 0xA282EAD8) & 0xFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283


def record(data):
    """One TFRecord: length, masked CRC of the length, data, masked CRC of the data."""
    head = struct.pack("<Q", len(data))
    return head + struct.pack("<I", masked_crc32c(head)) + data + struct.pack("<I", masked_crc32c(data))


# ---------------------------------------------------------------------------------------------------
# protobuf encoding (only what Event/Summary need)

def _varint(n):
    if n < 0:
        n += 1 << 64  # int64 negatives: ten-byte two's complement
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def _key(field, wire):
    return _varint((field << 3) | wire)


def _len_field(field, payload):
    return _key(field, 2) + _varint(len(payload)) + payload


def _str_field(field, s):
    return _len_field(field, s.encode("utf-8"))


def event(wall_time, step=0, file_version=None, summary=None, source_writer=None):
    """Serialized `Event` (proto3: wall_time 0 and step 0 are omitted)."""
    out = b""
    if wall_time:
        out += _key(1, 1) + struct.pack("<d", wall_time)
    if step:
        out += _key(2, 0) + _varint(int(step))
    if file_version is not None:
        out += _str_field(3, file_version)
    if summary is not None:
        out += _len_field(5, summary)
    if source_writer is not None:
        out += _len_field(10, _str_field(1, source_writer))
    return out


def summary_simple_value(tag, value):
    """Summary{value{tag, simple_value}} (PyTorch add_scalar, tensorboardX, TF1)."""
    v = _str_field(1, tag) + _key(2, 5) + struct.pack("<f", value)
    return _len_field(1, v)


SCALARS_METADATA = _len_field(1, _str_field(1, "scalars"))  # plugin_data{plugin_name: "scalars"}


def summary_tf2_scalar(tag, value):
    """Summary{value{tag, tensor{DT_FLOAT, scalar shape, tensor_content}, metadata{plugin scalars}}} (TF2)."""
    tensor = _key(1, 0) + _varint(1) + _len_field(2, b"") + _len_field(4, struct.pack("<f", value))
    v = _str_field(1, tag) + _len_field(8, tensor) + _len_field(9, SCALARS_METADATA)
    return _len_field(1, v)


FILE_VERSION = "brain.Event:2"


# ---------------------------------------------------------------------------------------------------
# writers

class _EventFile:
    def __init__(self, log_dir, name, wall_time, writer_name):
        os.makedirs(log_dir, exist_ok=True)
        self.path = os.path.join(log_dir, name)
        self.f = open(self.path, "wb")
        self._write(event(wall_time, file_version=FILE_VERSION, source_writer=writer_name))

    def _write(self, data):
        self.f.write(record(data))
        self.f.flush()

    def close(self):
        self.f.close()


class SummaryWriter(_EventFile):
    """torch.utils.tensorboard.SummaryWriter(log_dir).add_scalar(tag, value, global_step, walltime)."""

    def __init__(self, log_dir, *, start_time, host, pid, uid=0):
        super().__init__(log_dir, "events.out.tfevents.%010d.%s.%s.%s" % (start_time, host, pid, uid), start_time,
                         "tensorboard.summary.writer.event_file_writer")

    def add_scalar(self, tag, value, global_step, walltime):
        self._write(event(walltime, global_step, summary=summary_simple_value(tag, float(value))))


class TF2SummaryWriter(_EventFile):
    """tf.summary.create_file_writer(log_dir) + tf.summary.scalar(name, value, step)."""

    def __init__(self, log_dir, *, start_time, host, pid, uid):
        # EventsWriter stamps the first event with whole seconds (NowMicros() / 1000000).
        super().__init__(log_dir, "events.out.tfevents.%010d.%s.%s.%s.v2" % (start_time, host, pid, uid),
                         float(int(start_time)), "tensorflow.core.util.events_writer")

    def scalar(self, name, value, step, walltime):
        self._write(event(walltime, step, summary=summary_tf2_scalar(name, float(value))))


def test_vectors():
    """The three records of LOG_FORMATS.md section 4 "Test vectors", built with the functions above."""
    return [
        record(event(1700000000.0, file_version=FILE_VERSION)),
        record(event(1700000001.5, 10, summary=summary_simple_value("loss", 0.5))),
        record(event(1700000002.0, 3, summary=summary_tf2_scalar("epoch_loss", 0.25))),
    ]


if __name__ == "__main__":
    print("crc32c(b'123456789') = 0x%08X" % crc32c(b"123456789"))
    for r in test_vectors():
        print(len(r), r.hex(" "))
