"""Applications (cases) and what the window tells the enterprise about them."""
