"""Writes the instance network's data list (models/<name>.data.json) from its training runs' sources.txt files.

    python3 training/instance_data_list.py models/stream_matte_instances_r18x05.data.json \
        training/cache/instance_run/sources.txt training/cache/instance_run2/sources.txt

Paths are written relative to ../shared (video frames: relative to the teacher pass's folder, training/cache/labels).
"""
import json
import re
import sys
from collections import defaultdict


def relative(path):
    return path.split("../shared/", 1)[1] if "../shared/" in path else path.split("training/cache/labels/", 1)[-1]


def main(out, *source_files):
    seen, cut, real_photos, real_frames = set(), [], [], defaultdict(list)
    for file in source_files:
        for line in open(file).read().split():
            if line in seen:
                continue
            seen.add(line)
            path = relative(line)
            frame = re.match(r"videos/(\w+)/(?:teacher|image)_(\d+)\.png$", path)
            if "seg/coco_person/" in path or "images/people/" in path:
                real_photos.append(path)
            elif frame and "/image_" in path:
                real_frames[frame.group(1)].append(int(frame.group(2)))
            else:
                cut.append(path)
    data = {
        "people_cut_from": cut,
        "backgrounds": "every picture in data/backgrounds (113)",
        "base_photos": "the person_masks photos above (35 % of composites are pasted onto one of them)",
        "real_multi_person_photos": real_photos,
        "real_multi_person_frames": {clip: f"frames {min(n)}-{max(n)} ({len(n)}) of the teacher pass's sub-sampled frames"
                                     for clip, n in sorted(real_frames.items())},
        "labels_of_real_pictures": "coco_person: its hand-drawn masks_instance; the rest: YOLOv8n-seg's people "
                                   "(training/teacher/make_instance_labels.sh)",
        "never_used": [
            "the test half of data/seg/coco_person (even places in name order; the people test set)",
            "every 5th person_masks photo (the student's held-out split)",
            "videos/talking_head_1080p.mp4",
            "videos/street_crowd_720p.avi (identity check)",
            "videos/pedestrians_576p.avi before 24 s (identity check: its first 200 frames = 20 s)",
        ],
        "note": "paths relative to ../shared; video frames are the teacher pass's sub-sampled frames "
                "(training/teacher/make_labels.sh: clip_a, clip_b at 10 fps, pedestrians at 1 fps)",
    }
    with open(out, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"{out}: {len(cut)} cut-outs, {len(real_photos)} real photos, "
          f"{sum(len(n) for n in real_frames.values())} real frames")


if __name__ == "__main__":
    main(*sys.argv[1:])
