"""CNN Lab core: every formula, model and image routine of the app, free of any UI code."""
