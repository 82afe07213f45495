// Keeps a followed log view pinned to its newest line.
window.dashboardScroll = {
    toBottom(element) {
        if (element) {
            element.scrollTop = element.scrollHeight;
        }
    },
};
