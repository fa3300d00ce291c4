"""The panel's questions on an indicator's figures: asked by members on the indicator page,
answered by the indicator's owner, listed on the meeting whose performance item covers them."""
