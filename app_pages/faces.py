"""Face verification: are two photos the same person? FaceNet's ideas on real 128-d descriptors."""

from functools import partial

from app_support.faces import gallery as gallery_view
from app_support.faces import landmarks as landmark_view
from app_support.faces import pair_sections as pair_views
from app_support.faces import photos as above
from app_support.faces import sections as views
from app_support.shared.ui import page_header, run_tabs

page_header(
    "Face verification",
    "A face network f maps an aligned face to a 128-d descriptor so that photos of one person land close "
    "together and photos of different people far apart. Verification then needs no retraining for new "
    "people: two faces match when their distance is at most a threshold τ (one-shot learning); for dlib's "
    "network τ = 0.6, i.e. d² ≤ 0.36.",
    r"\lVert f(x^{(1)}) - f(x^{(2)}) \rVert_2 \le \tau \;\Rightarrow\; \text{same person}",
)

photos = above.top()
run_tabs(
    [
        ("One-shot recognition (1:K)", partial(gallery_view.gallery_section, photos)),
        ("Embedding space", partial(views.space_section, photos)),
        ("Triplet loss", partial(views.triplet_section, photos)),
        ("Siamese network", partial(pair_views.siamese_section, photos)),
        ("Binary classification", partial(pair_views.binary_section, photos)),
        ("Landmarks", partial(landmark_view.landmarks_section, photos)),
    ],
    key="faces_tab",
)
