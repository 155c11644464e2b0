"""Golden values for dev.nn4j.data.sets.Images.resize: PyTorch's F.interpolate with mode="area" on axes that shrink
and mode="bilinear" (align_corners=False) on axes that grow. Run: /usr/bin/python3 tools/goldens/resize.py"""
import torch
import torch.nn.functional as F

from common import save

torch.manual_seed(0)

# both axes shrink (non-integer ratios, so area windows overlap): area
x = torch.rand(2, 5, 7)
save("resize", "area", {"x": x, "y": F.interpolate(x[None], size=(3, 4), mode="area")[0]})

# both axes grow: bilinear with half-pixel centres
x = torch.rand(2, 3, 4)
save("resize", "bilinear", {"x": x, "y": F.interpolate(x[None], size=(5, 7), mode="bilinear", align_corners=False)[0]})

# height shrinks (area), width grows (bilinear): each axis on its own, since both modes are separable
x = torch.rand(1, 6, 3)
h = F.interpolate(x[None], size=(4, 3), mode="area")
save("resize", "mixed", {"x": x, "y": F.interpolate(h, size=(4, 5), mode="bilinear", align_corners=False)[0]})
