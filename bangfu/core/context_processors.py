def navigation(request):
    from bangfu.core.navigation import menu_for

    return {"nav_modules": menu_for(request.user) if request.user.is_authenticated else []}
