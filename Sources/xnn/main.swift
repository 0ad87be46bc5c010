print("xnn")
