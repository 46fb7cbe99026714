"""Copy-detection signatures as bytes, so the store can keep them between runs.

A run that adds articles compares them with every stored one, but only through signatures
(hashes, a MinHash, anchor hashes): keeping those means a later run computes signatures for
its new articles alone and re-reads an old article's text only when it is a candidate. The
format is a short JSON header followed by the raw arrays; no pickle, so opening a store file
never runs code from it.
"""

from __future__ import annotations

import json
import struct

import numpy as np
from datasketch import LeanMinHash

from .copies import ArticleSignature

_HEAD = struct.Struct("<I")


def to_bytes(sig: ArticleSignature) -> bytes:
    minhash = b""
    if sig.minhash is not None:
        buffer = bytearray(sig.minhash.bytesize())
        sig.minhash.serialize(buffer)
        minhash = bytes(buffer)
    head = json.dumps({"id": sig.article_id, "body": sig.body_key, "words": sig.words, "language": sig.language,
                       "published": sig.published, "minhash": len(minhash), "anchors": len(sig.anchors),
                       "sentences": len(sig.sentence_words)}).encode("utf-8")
    return b"".join((_HEAD.pack(len(head)), head, minhash, sig.anchors.astype("<i8").tobytes(),
                     sig.numeric.astype(np.uint8).tobytes(), sig.sentence_words.astype("<i4").tobytes()))


def from_bytes(data: bytes) -> ArticleSignature:
    (size,) = _HEAD.unpack_from(data)
    at = _HEAD.size + size
    head = json.loads(data[_HEAD.size:at].decode("utf-8"))
    minhash = LeanMinHash.deserialize(bytearray(data[at:at + head["minhash"]])) if head["minhash"] else None
    at += head["minhash"]
    n = head["anchors"]
    anchors = np.frombuffer(data, dtype="<i8", count=n, offset=at).astype(np.int64)
    at += 8 * n
    numeric = np.frombuffer(data, dtype=np.uint8, count=n, offset=at).astype(bool)
    at += n
    sentence_words = np.frombuffer(data, dtype="<i4", count=head["sentences"], offset=at).astype(np.int32)
    return ArticleSignature(article_id=head["id"], body_key=head["body"], words=head["words"], minhash=minhash,
                            anchors=anchors, numeric=numeric, sentence_words=sentence_words,
                            language=head["language"], published=head["published"])
